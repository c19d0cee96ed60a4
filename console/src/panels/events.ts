/** The event log, newest first; urgent events are highlighted and flash the panel. */
import { t } from '../i18n/index.ts';
import type { ConsoleStore } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { eventText, timeText } from './format.ts';
import { alertCue } from './sound.ts';

const SHOWN = 100;

export class EventsPanel {
  readonly el = h('section', { class: 'panel events', 'data-test': 'events' });
  private lastSeq = 0;

  constructor(private readonly store: ConsoleStore) {}

  render(): void {
    const entries = this.store.events.slice(0, SHOWN);
    const newest = entries[0]?.seq ?? 0;
    const freshUrgent = entries.some((e) => e.seq > this.lastSeq && e.urgent);
    this.lastSeq = newest;
    this.el.replaceChildren(
      h('h2', {}, t('events.title')),
      entries.length === 0 ? h('p', { class: 'muted' }, t('events.empty')) :
        h('ol', {}, ...entries.map((e) => h('li', { class: e.urgent ? 'urgent' : '', 'data-kind': e.event.kind },
          h('time', {}, timeText(e.event.at)), ' ',
          e.event.droneId ? raw(e.event.droneId) : null, ' ',
          ...eventText(e.event)))));
    if (freshUrgent) {
      this.el.classList.remove('flash');
      void this.el.offsetWidth; // restart the animation
      this.el.classList.add('flash');
      alertCue();
    }
  }
}
