// Registry of the built-in procedure templates (one module per SOP seed) and the product's default choices.
import { DomainError } from '../errors.js';
import type { Procedure } from '../procedure.js';
import { asnBerprestasi } from './asn-berprestasi.js';
import { evaluasiTahunan } from './evaluasi-tahunan.js';
import { pengukuranInspektorat } from './pengukuran-inspektorat.js';
import { skpBalangan } from './skp-balangan.js';
import { skpBanyuwangi } from './skp-banyuwangi.js';
import { skpPermenpan } from './skp-permenpan.js';
import { bulananTangerang, skpTangerang } from './tangerang.js';

export {
  asnBerprestasi,
  bulananTangerang,
  evaluasiTahunan,
  pengukuranInspektorat,
  skpBalangan,
  skpBanyuwangi,
  skpPermenpan,
  skpTangerang,
};

export const templates: Readonly<Record<string, Procedure>> = Object.freeze(
  Object.fromEntries(
    [
      skpPermenpan,
      skpBanyuwangi,
      skpBalangan,
      skpTangerang,
      bulananTangerang,
      pengukuranInspektorat,
      asnBerprestasi,
      evaluasiTahunan,
    ].map(
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
  // PermenPANRB 6/2022: the pejabat penilai establishes the SKP. The seed SOPs stay selectable.
  skpAnnual: 'skp-permenpan',
  monthly: 'bulanan-tangerang',
  annualEvaluation: 'evaluasi-tahunan',
} as const);

/**
 * The region whose SOP a template comes from ('Kabupaten Banyuwangi', 'Kota Tangerang'); null for templates that
 * follow national regulation only (they fit any deployment).
 */
export function agencyOf(proc: Pick<Procedure, 'source'>): string | null {
  const m = /\b(Kabupaten|Kota|Provinsi)\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)/.exec(proc.source.issuer);
  return m ? `${m[1]} ${m[2]}` : null;
}
