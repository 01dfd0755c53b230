// The Mini App API's plumbing: JSON in and out, refusals as an error with a status and an Indonesian message.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmployeeProfile } from '../app/repositories/employees.js';
import type { Logger } from '../logger.js';
import { webAppTexts } from '../chat/texts/webapp.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly userMessage: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(userMessage);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

const MAX_BODY_BYTES = 256 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, webAppTexts.badRequest);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(400, webAppTexts.badRequest);
  }
}

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  me: EmployeeProfile;
  params: string[];
  query: URLSearchParams;
  log: Logger;
}

export interface ApiRoute {
  method: 'GET' | 'PUT' | 'POST';
  pattern: RegExp;
  handle(request: ApiRequest): Promise<unknown>;
}

