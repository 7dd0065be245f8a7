/**
 * Which view is showing. Kept in memory, not in the URL: Sift is served from any sub-path of any
 * static host with no rewrites, so the address never changes and a reload starts on the main job.
 */
export const VIEWS = [
  { id: 'newsletter', label: 'Newsletter' },
  { id: 'crm', label: 'CRM' },
  { id: 'history', label: 'History' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export class AppView {
  current = $state<ViewId>('newsletter');

  show(view: ViewId): void {
    this.current = view;
  }
}

export const appView = new AppView();
