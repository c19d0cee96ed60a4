/**
 * The right-hand column's tabs: the selected drone, incidents (with the parking cases), traffic,
 * response figures, planning, overwatch.
 */
import { t, type MessageKey } from '../i18n/index.ts';
import { h } from './dom.ts';

export interface TabPanel {
  readonly el: HTMLElement;
  render(): void;
}

export interface Tab {
  id: string;
  label: MessageKey;
  panel: TabPanel;
}

export class Tabs {
  readonly el = h('div', { class: 'tabs-wrap' });
  private readonly strip = h('div', { class: 'tabs', role: 'tablist' });
  current: string;

  constructor(private readonly tabs: Tab[]) {
    this.current = tabs[0]!.id;
    this.el.append(this.strip, ...tabs.map((tab) => tab.panel.el));
  }

  show(id: string): void {
    if (id === this.current) return;
    this.current = id;
    this.render();
  }

  /** The strip, and the current panel drawn again (the others are hidden). */
  render(): void {
    this.strip.replaceChildren(...this.tabs.map((tab) => h('button', {
      type: 'button', role: 'tab', 'aria-selected': String(tab.id === this.current), 'data-tab': tab.id, class: tab.id === this.current ? 'active' : '',
      onclick: () => this.show(tab.id),
    }, t(tab.label))));
    for (const tab of this.tabs) {
      tab.panel.el.hidden = tab.id !== this.current;
      if (tab.id === this.current) tab.panel.render();
    }
  }
}
