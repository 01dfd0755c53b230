// Registry of the built-in procedure templates (one module per SOP seed) and the product's default choices.
import { DomainError } from '../errors.js';
import type { Procedure } from '../procedure.js';
import { asnBerprestasi } from './asn-berprestasi.js';
import { pengukuranInspektorat } from './pengukuran-inspektorat.js';
import { skpBalangan } from './skp-balangan.js';
import { skpBanyuwangi } from './skp-banyuwangi.js';
import { bulananTangerang, skpTangerang } from './tangerang.js';

export { asnBerprestasi, bulananTangerang, pengukuranInspektorat, skpBalangan, skpBanyuwangi, skpTangerang };

export const templates: Readonly<Record<string, Procedure>> = Object.freeze(
  Object.fromEntries(
    [skpBanyuwangi, skpBalangan, skpTangerang, bulananTangerang, pengukuranInspektorat, asnBerprestasi].map(
      (proc) => [proc.code, proc] as const,
    ),
  ),
);

/** Looks up a template by code; throws DomainError('UNKNOWN_PROCEDURE') for codes nobody defined. */
export function getTemplate(code: string): Procedure {
  const proc = Object.hasOwn(templates, code) ? templates[code] : undefined;
  if (!proc) {
    throw new DomainError('UNKNOWN_PROCEDURE', `No procedure template "${code}"`, {
      code,
      known: Object.keys(templates),
    });
  }
  return proc;
}

/** Which template each product feature uses unless the deployment config says otherwise. */
export const defaultProcedures = Object.freeze({
  skpAnnual: 'skp-banyuwangi',
  monthly: 'bulanan-tangerang',
} as const);
