import { mount } from 'svelte';
import { installGlobalEgressGate } from './net/egress.ts';
import App from './ui/App.svelte';
import './ui/app.css';

// Before anything else runs: a library's own fetch on the page goes through the egress gate too.
installGlobalEgressGate();

mount(App, { target: document.getElementById('app')! });
