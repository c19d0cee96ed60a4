/**
 * Broadcast templates in zh-CN and English, with parameters, and the small formatter that renders
 * them: `{name}` is replaced by the parameter's value; a parameter with a default may be omitted.
 * Values are plain text (at most 40 characters, no control characters, no braces).
 */
import { AppError } from '../errors.ts';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

export interface TemplateParam {
  name: string;
  description: string;
  /** Used when the parameter is omitted; required when there is none. */
  default?: Record<Lang, string>;
  /** A whole number (minutes, …). */
  integer?: boolean;
}

export interface BroadcastTemplate {
  id: string;
  title: Record<Lang, string>;
  params: TemplateParam[];
  text: Record<Lang, string>;
  /** Urgent templates pre-empt what the speaker plays. */
  priority: 'normal' | 'urgent';
}

export const TEMPLATES: readonly BroadcastTemplate[] = [
  {
    id: 'parking-advisory',
    title: { 'zh-CN': '临时停车区提示', en: 'Temporary stopping area (parking advisory)' },
    params: [
      { name: 'plate', description: 'licence plate of the vehicle', default: { 'zh-CN': '停留车辆', en: 'the stopped vehicle' } },
      { name: 'minutes', description: 'maximum stay in minutes', integer: true, default: { 'zh-CN': '3', en: '3' } },
    ],
    text: {
      'zh-CN': '您好，这里是临时停车区，最长停留{minutes}分钟。请{plate}尽快驶离，谢谢配合。',
      en: 'Hello, this is a temporary stopping area, with a maximum stay of {minutes} minutes. Would {plate} please move on now. Thank you.',
    },
    priority: 'normal',
  },
  {
    id: 'no-parking',
    title: { 'zh-CN': '禁止停车', en: 'No parking' },
    params: [{ name: 'plate', description: 'licence plate of the vehicle', default: { 'zh-CN': '停放车辆', en: 'the parked vehicle' } }],
    text: {
      'zh-CN': '此处禁止停车。请{plate}立即驶离，违者将依法处理。',
      en: 'No parking here. Would {plate} please move away immediately; violations will be dealt with according to law.',
    },
    priority: 'normal',
  },
  {
    id: 'keep-lane-clear',
    title: { 'zh-CN': '保持车道畅通', en: 'Keep the lane clear' },
    params: [{ name: 'lane', description: 'the lane to keep clear', default: { 'zh-CN': '消防通道', en: 'fire lane' } }],
    text: {
      'zh-CN': '请保持{lane}畅通，不要停车或占用车道，谢谢配合。',
      en: 'Please keep the {lane} clear. Do not stop or block the lane. Thank you.',
    },
    priority: 'normal',
  },
  {
    id: 'crowd-dispersal',
    title: { 'zh-CN': '人群疏散', en: 'Crowd dispersal' },
    params: [{ name: 'area', description: 'the crowded area', default: { 'zh-CN': '此区域', en: 'this area' } }],
    text: {
      'zh-CN': '请注意，{area}人员过于密集。请不要聚集，听从现场工作人员指挥，有序离开。',
      en: 'Attention: {area} is overcrowded. Please do not gather; follow the staff\'s directions and leave in an orderly way.',
    },
    priority: 'normal',
  },
  {
    id: 'traffic-guidance',
    title: { 'zh-CN': '交通引导', en: 'Traffic guidance' },
    params: [
      { name: 'road', description: 'the congested road', default: { 'zh-CN': '前方道路', en: 'the road ahead' } },
      { name: 'detour', description: 'the way round', default: { 'zh-CN': '按指示牌', en: 'the signed detour' } },
    ],
    text: {
      'zh-CN': '{road}拥堵，请减速慢行，{detour}绕行。',
      en: 'Congestion on {road}. Please slow down and take {detour}.',
    },
    priority: 'normal',
  },
  {
    id: 'evacuation',
    title: { 'zh-CN': '紧急疏散', en: 'Evacuation' },
    params: [{ name: 'exit', description: 'the exit to use', default: { 'zh-CN': '最近的出口', en: 'the nearest exit' } }],
    text: {
      'zh-CN': '紧急通知：请立即从{exit}撤离。保持冷静，不要拥挤，听从工作人员指挥。',
      en: 'Emergency: please evacuate now through {exit}. Stay calm, do not push, and follow the staff\'s instructions.',
    },
    priority: 'urgent',
  },
];

const BY_ID = new Map(TEMPLATES.map((t) => [t.id, t]));

export function findTemplate(id: string): BroadcastTemplate | undefined {
  return BY_ID.get(id);
}

export type TemplateParams = Record<string, string | number>;

const MAX_VALUE = 40;
// eslint-disable-next-line no-control-regex
const BAD_VALUE = /[\u0000-\u001f\u007f{}]/;

/** Render a template in one language; AppError BAD_REQUEST names what is wrong. */
export function renderTemplate(id: string, lang: Lang, params: TemplateParams = {}): string {
  const t = findTemplate(id);
  if (!t) throw new AppError('BAD_REQUEST', `no broadcast template "${id}" (known: ${TEMPLATES.map((x) => x.id).join(', ')})`, { template: id, known: TEMPLATES.map((x) => x.id) });
  const known = new Set(t.params.map((p) => p.name));
  const unknown = Object.keys(params).filter((k) => !known.has(k));
  if (unknown.length) throw new AppError('BAD_REQUEST', `template ${id} has no parameter ${unknown.join(', ')} (its parameters: ${[...known].join(', ') || 'none'})`, { template: id, unknown });
  const values: Record<string, string> = {};
  for (const p of t.params) {
    const given = params[p.name];
    if (given === undefined || given === '') {
      if (!p.default) throw new AppError('BAD_REQUEST', `template ${id} needs the parameter ${p.name} (${p.description})`, { template: id, missing: p.name });
      values[p.name] = p.default[lang];
      continue;
    }
    const text = String(given).trim();
    if (p.integer && !/^\d{1,4}$/.test(text)) throw new AppError('BAD_REQUEST', `template ${id}: ${p.name} must be a whole number, got "${text}"`, { template: id, param: p.name });
    if (text.length > MAX_VALUE || BAD_VALUE.test(text)) throw new AppError('BAD_REQUEST', `template ${id}: ${p.name} must be plain text of at most ${MAX_VALUE} characters`, { template: id, param: p.name });
    values[p.name] = text;
  }
  return format(t.text[lang], values);
}

/** Replace `{name}` by values[name]; `{{` and `}}` are literal braces. */
export function format(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{\{|\}\}|\{(\w+)\}/g, (m, name: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const v = values[name!];
    if (v === undefined) throw new Error(`no value for {${name}}`);
    return v;
  });
}
