// What a step takes as input: the texts to type, the files to send, their limits and the fixed input keys.
import type { FilesKelengkapan, Step, TextKelengkapan } from './shape.js';

/** The texts a step's actor must type before the step can complete (the chat asks for them one by one). */
export function typedInputsOf(step: Pick<Step, 'requires'>): TextKelengkapan[] {
  return step.requires.filter((r): r is TextKelengkapan => r.kind === 'text' && !r.optional);
}

/** The files a step takes, if any (required or optional). */
export function fileInputOf(step: Pick<Step, 'requires'>): FilesKelengkapan | undefined {
  return step.requires.find((r): r is FilesKelengkapan => r.kind === 'files');
}

/**
 * Files a template asks for as scans or exports of paper documents. 20 MB is the largest file a bot can fetch
 * through the Telegram Bot API, so anything larger could never be stored anyway.
 */
export const DOCUMENT_FILES = Object.freeze({
  mimeTypes: ['application/pdf', 'image/jpeg', 'image/png'],
  maxBytes: 20 * 1024 * 1024,
});

/** Input keys of the kelengkapan kinds whose shape the domain fixes; `text` and `files` name their own `key`. */
export const INPUT_KEYS = Object.freeze({
  rhk_list: 'rhk',
  rating: 'rating',
  realisasi: 'realisasi',
  confirm: 'confirmed',
} as const);
