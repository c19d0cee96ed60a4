/**
 * A modal confirmation (translated, unlike window.confirm). Resolves true on Confirm; Escape cancels
 * it — the dialog alone: an active map tool (map/tools.ts) stays active while a dialog is open.
 */
import { t } from '../i18n/index.ts';
import { h } from './dom.ts';

export function confirmDialog(message: string): Promise<boolean> {
  return new Promise((resolve) => {
    const close = (ok: boolean) => { overlay.remove(); document.removeEventListener('keydown', onKey); resolve(ok); };
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.preventDefault(); close(false); } };
    const okButton = h('button', { class: 'primary', 'data-test': 'confirm-ok', onclick: () => close(true) }, t('confirm.ok'));
    const overlay = h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'confirm-title' },
      h('div', { class: 'modal-box' },
        h('h2', { id: 'confirm-title' }, t('confirm.title')),
        h('p', { 'data-test': 'confirm-message' }, message),
        h('div', { class: 'modal-actions' },
          h('button', { 'data-test': 'confirm-cancel', onclick: () => close(false) }, t('confirm.cancel')),
          okButton)));
    document.addEventListener('keydown', onKey);
    document.body.append(overlay);
    okButton.focus();
  });
}
