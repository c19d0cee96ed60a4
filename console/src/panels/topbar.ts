/** Title, connection state, who is logged in, language switch, log out. */
import type { Me } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import type { ConsoleStore } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { langButton } from './login.ts';
import { setSoundEnabled, soundEnabled } from './sound.ts';

export class TopBar {
  readonly el = h('header', { class: 'top' });

  constructor(private readonly store: ConsoleStore, private readonly me: Me, private readonly onLogout: () => void) {}

  render(): void {
    const s = this.store.status;
    const status = s.state === 'live' ? t('conn.live') : s.state === 'connecting' ? t('conn.connecting') : t('conn.reconnecting', { s: Math.ceil(s.retryInMs / 1000) });
    this.el.replaceChildren(
      h('h1', {}, t('app.title')),
      h('span', { class: `conn ${s.state}`, 'data-test': 'conn' }, status),
      h('span', { class: 'spacer' }),
      h('span', { class: 'user', 'data-test': 'user', 'data-role': this.me.role }, raw(this.me.name), t('top.user', { role: t(`role.${this.me.role}`) })),
      h('button', { type: 'button', 'data-test': 'sound', 'aria-pressed': String(soundEnabled()), onclick: () => { setSoundEnabled(!soundEnabled()); this.render(); } },
        soundEnabled() ? t('top.soundOn') : t('top.soundOff')),
      langButton(),
      h('button', { type: 'button', 'data-test': 'logout', onclick: this.onLogout }, t('top.logout')));
  }
}
