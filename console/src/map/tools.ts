/**
 * What a click on the map means right now: one tool at a time (the go-to pick, the incident pick,
 * drawing a plan's shape, placing points). Starting a tool cancels the one before; Escape cancels
 * the active one — but not while the operator is typing in a field or choosing in a select (the
 * Escape is theirs), nor while a confirmation is open (Escape cancels the dialog alone,
 * panels/confirm.ts); with none, a click selects a drone.
 */
import type { MapAdapter, ScreenPoint } from './adapter.ts';

export interface MapTool {
  readonly cursor: string;
  click(lon: number, lat: number, point: ScreenPoint): void;
  dblclick?(lon: number, lat: number, point: ScreenPoint): void;
  /** The tool was replaced or the operator cancelled it. */
  cancel(): void;
}

export class ToolSlot {
  active: MapTool | null = null;

  constructor(private readonly map: () => MapAdapter | null) {
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.active && !escapeTakenElsewhere(e)) this.active.cancel(); });
  }

  start(tool: MapTool): void {
    const before = this.active;
    this.active = tool;
    before?.cancel();
    this.map()?.setCursor(tool.cursor);
    this.map()?.setDoubleClickZoom(!tool.dblclick);
  }

  /** The tool is done (finished or cancelled): clicks select drones again. */
  end(tool: MapTool): void {
    if (this.active !== tool) return;
    this.active = null;
    this.map()?.setCursor('');
    this.map()?.setDoubleClickZoom(true);
  }
}

/** Inputs where keys edit a value (not buttons, checkboxes, radios). */
const FIELD = 'input:not([type=button]):not([type=submit]):not([type=reset]):not([type=checkbox]):not([type=radio]), select, textarea, [contenteditable]';

/** An Escape meant for a field being edited or an open dialog, not for the map tool. */
function escapeTakenElsewhere(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || document.querySelector('[aria-modal=true]')) return true;
  const target = e.target instanceof Element ? e.target : null;
  return target?.closest(FIELD) != null;
}
