/**
 * Renders the PWA's PNG icons from public/icon.svg with the system Chromium, so the icons in
 * public/ can always be rebuilt from the one SVG source:  npx tsx scripts/make-icons.ts
 * The maskable icon keeps the mark inside the central 80 % safe zone that launchers crop to.
 */
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, findChromium } from './find-chromium.ts';

const found = findChromium();
if (!found) throw new Error(HOW_TO_GET_CHROMIUM);
const svg = readFileSync('public/icon.svg', 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

const browser = await chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS });
const page = await browser.newPage();
const icons = [
  { file: 'public/icon-192.png', size: 192, inset: 0, background: 'transparent' },
  { file: 'public/icon-512.png', size: 512, inset: 0, background: 'transparent' },
  { file: 'public/icon-maskable-512.png', size: 512, inset: 0.14, background: '#0b57d0' },
];
for (const icon of icons) {
  await page.setViewportSize({ width: icon.size, height: icon.size });
  const pad = Math.round(icon.size * icon.inset);
  await page.setContent(
    `<body style="margin:0;background:${icon.background}"><img src="${dataUrl}" style="display:block;margin:${pad}px;width:${icon.size - 2 * pad}px;height:${icon.size - 2 * pad}px"></body>`,
  );
  await page.screenshot({ path: icon.file, omitBackground: icon.background === 'transparent' });
  console.log(`wrote ${icon.file} (${icon.size}×${icon.size})`);
}
await browser.close();
