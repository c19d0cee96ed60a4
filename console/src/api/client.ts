/** REST with the operator's bearer token; errors carry the server's code, message and details. */
import type { ErrorBody } from './types.ts';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

export class ApiClient {
  constructor(readonly token: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', (err as Error).message);
    }
    const text = await res.text();
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (!res.ok) {
      const e = (parsed as ErrorBody | null)?.error;
      throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? text.slice(0, 200), e?.details ?? {});
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  del<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

/** The public console configuration (no token needed). */
export async function loadConsoleConfig(): Promise<{ mapboxToken: string | null }> {
  try {
    const res = await fetch('/config.json');
    if (!res.ok) return { mapboxToken: null };
    const body = (await res.json()) as { mapboxToken?: unknown };
    return { mapboxToken: typeof body.mapboxToken === 'string' && body.mapboxToken ? body.mapboxToken : null };
  } catch {
    return { mapboxToken: null };
  }
}
