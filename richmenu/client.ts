/**
 * The rich menu calls of LINE's Messaging API, on node:http(s) like bot/line-api.ts's reply and push: a timeout on
 * every call, and the same two errors (LineApiError: LINE answered no, with its status and body;
 * LineNetworkError: LINE was not reached). Works against LINE, a proxy, or the local emulator.
 */
import http from 'node:http';
import https from 'node:https';
import { LineApiError, LineNetworkError } from '../line/api';
import { InvalidLineIdError } from '../line/ids';
import type { RichMenuRequest } from './definition';

const RICH_MENU_ID = /^richmenu-[0-9a-f]{32}$/;

export interface RichMenuClientOptions {
  channelAccessToken: string;
  /** https://api.line.me, or the emulator's URL. */
  apiBaseUrl: string;
  /** https://api-data.line.me (image upload), or the emulator's URL. */
  dataApiBaseUrl: string;
  timeoutMs?: number;
}

/** A menu as LINE lists it: the request it was created from, plus its id. */
export type RichMenuResponse = RichMenuRequest & { richMenuId: string };

interface Answer {
  status: number;
  body: Buffer;
}

export class RichMenuClient {
  private readonly timeoutMs: number;

  constructor(private readonly opts: RichMenuClientOptions) {
    if (!opts.channelAccessToken) throw new Error('RichMenuClient: channelAccessToken is required');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** LINE checks the body without creating anything: a bad menu is refused before it exists. */
  async validate(menu: RichMenuRequest): Promise<void> {
    await this.send('richmenu.validate', 'POST', this.api('/v2/bot/richmenu/validate'), json(menu));
  }

  async create(menu: RichMenuRequest): Promise<string> {
    const res = await this.send('richmenu.create', 'POST', this.api('/v2/bot/richmenu'), json(menu));
    const id = (parse(res) as { richMenuId?: unknown }).richMenuId;
    return assertRichMenuId(id);
  }

  async uploadImage(richMenuId: string, image: Buffer, contentType: 'image/png' | 'image/jpeg' = 'image/png'): Promise<void> {
    const url = new URL(`/v2/bot/richmenu/${assertRichMenuId(richMenuId)}/content`, this.opts.dataApiBaseUrl);
    await this.send('richmenu.content', 'POST', url, { body: image, contentType });
  }

  async setDefault(richMenuId: string): Promise<void> {
    await this.send('richmenu.default', 'POST', this.api(`/v2/bot/user/all/richmenu/${assertRichMenuId(richMenuId)}`));
  }

  /** The default menu's id, or null when there is none (LINE answers 404). */
  async getDefault(): Promise<string | null> {
    try {
      const res = await this.send('richmenu.default', 'GET', this.api('/v2/bot/user/all/richmenu'));
      return assertRichMenuId((parse(res) as { richMenuId?: unknown }).richMenuId);
    } catch (err) {
      if (err instanceof LineApiError && err.status === 404) return null;
      throw err;
    }
  }

  async list(): Promise<RichMenuResponse[]> {
    const res = await this.send('richmenu.list', 'GET', this.api('/v2/bot/richmenu/list'));
    return (parse(res) as { richmenus?: RichMenuResponse[] }).richmenus ?? [];
  }

  async delete(richMenuId: string): Promise<void> {
    await this.send('richmenu.delete', 'DELETE', this.api(`/v2/bot/richmenu/${assertRichMenuId(richMenuId)}`));
  }

  private api(path: string): URL {
    return new URL(path, this.opts.apiBaseUrl);
  }

  private send(endpoint: string, method: string, url: URL, payload?: { body: Buffer; contentType: string }): Promise<Answer> {
    const tls = url.protocol === 'https:';
    const headers: Record<string, string | number> = { authorization: `Bearer ${this.opts.channelAccessToken}` };
    if (payload) {
      headers['content-type'] = payload.contentType;
      headers['content-length'] = payload.body.length;
    }
    return new Promise<Answer>((resolve, reject) => {
      const req = (tls ? https : http).request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks);
          const requestId = (res.headers['x-line-request-id'] as string | undefined) ?? null;
          if (status >= 200 && status < 300) resolve({ status, body });
          else reject(new LineApiError(endpoint, status, body.toString('utf8'), requestId));
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(new LineNetworkError(endpoint, err));
        });
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(new LineNetworkError(endpoint, err));
      });
      req.end(payload?.body);
    });
  }
}

export function assertRichMenuId(v: unknown): string {
  if (typeof v !== 'string' || !RICH_MENU_ID.test(v)) throw new InvalidLineIdError('rich menu', v);
  return v;
}

function json(value: unknown): { body: Buffer; contentType: string } {
  return { body: Buffer.from(JSON.stringify(value)), contentType: 'application/json' };
}

function parse(res: Answer): unknown {
  return JSON.parse(res.body.toString('utf8'));
}
