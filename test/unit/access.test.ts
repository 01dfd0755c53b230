// Unit: the access table decides from roles and relations; scopes are the broadest the roles allow.
import { describe, expect, it } from 'vitest';
import { ACTIONS, GRANTS, READS, accessSubjectOf, decide, mayEver, scopeOf, type AccessSubject } from '../../src/domain/access.js';

const asn: AccessSubject = { id: 'a', active: true, isAtasan: false, pengelolaOf: [], bkppAdmin: false };
const atasan: AccessSubject = { ...asn, id: 'b', isAtasan: true };
const pengelola: AccessSubject = { ...asn, id: 'c', pengelolaOf: ['pd-1'] };
const bkpp: AccessSubject = { ...asn, id: 'd', bkppAdmin: true };

describe('the access table', () => {
  it('names every read and action, each granted by at least one relation', () => {
    for (const op of [...READS, ...ACTIONS]) expect(GRANTS[op].length, op).toBeGreaterThan(0);
  });

  it('refuses everything to an employee no longer active, whatever their roles were', () => {
    const gone = { ...bkpp, isAtasan: true, pengelolaOf: ['pd-1'], active: false };
    for (const op of [...READS, ...ACTIONS]) {
      expect(decide(gone, op, null), op).toEqual({ allowed: false, refusal: 'inactive' });
      expect(decide(gone, op, ['self', 'all', 'stepHolder']), op).toEqual({ allowed: false, refusal: 'inactive' });
      expect(scopeOf(gone, op)).toEqual({ kind: 'none' });
    }
  });

  it('tells a missing role from a target out of scope', () => {
    expect(decide(asn, 'runJobs', null)).toEqual({ allowed: false, refusal: 'no_role' });
    expect(decide(pengelola, 'issueLinkCode', [])).toEqual({ allowed: false, refusal: 'out_of_scope' });
    expect(decide(pengelola, 'issueLinkCode', ['ownPerangkatDaerah'])).toEqual({ allowed: true });
    // Having some role is not enough: the relation to the target must be one the operation grants.
    expect(decide(bkpp, 'nominate', ['all'])).toEqual({ allowed: false, refusal: 'no_role' });
    expect(decide(atasan, 'caseDetail', ['participant'])).toEqual({ allowed: true });
    expect(decide(atasan, 'caseEvents', ['reportingChain'])).toEqual({ allowed: false, refusal: 'out_of_scope' });
    expect(decide(asn, 'actOnStep', ['participant'])).toEqual({ allowed: false, refusal: 'out_of_scope' });
    expect(decide(asn, 'actOnStep', ['plh'])).toEqual({ allowed: true });
  });

  it('gives each role its commands', () => {
    const table = (s: AccessSubject): string[] => [...READS, ...ACTIONS].filter((op) => mayEver(s, op));
    expect(table(asn).sort()).toEqual(['actOnStep', 'caseDetail', 'caseDocument', 'caseEvidence', 'fileKeberatan', 'status', 'tasks', 'verification'].sort());
    expect(table(atasan)).toEqual(expect.arrayContaining(['recap', 'export', 'caseEvents', 'delegate', 'findStandIn']));
    expect(table(atasan)).not.toEqual(expect.arrayContaining(['issueLinkCode']));
    expect(table(pengelola)).toEqual(expect.arrayContaining(['issueLinkCode', 'broadcast', 'nominate', 'collect', 'nominations']));
    expect(table(pengelola)).not.toContain('unlink');
    expect(table(bkpp)).toEqual(expect.arrayContaining(['unlink', 'runJobs', 'importRoster', 'broadcast', 'nominations']));
    expect(table(bkpp)).not.toContain('nominate');
  });

  it('lets an ASN object to their own result only, whatever roles they have', () => {
    for (const who of [asn, atasan, pengelola, bkpp]) {
      expect(decide(who, 'fileKeberatan', null), who.id).toEqual({ allowed: true });
      expect(decide(who, 'fileKeberatan', ['self']), who.id).toEqual({ allowed: true });
      // Never on someone else's behalf: not as their atasan, their pengelola, BKPP or a holder of their case.
      expect(decide(who, 'fileKeberatan', ['directReport', 'reportingChain', 'ownPerangkatDaerah', 'all', 'stepHolder', 'plh', 'participant']), who.id)
        .toEqual({ allowed: false, refusal: 'out_of_scope' });
    }
    expect(GRANTS.fileKeberatan).toEqual(['self']);
    expect(decide({ ...asn, active: false }, 'fileKeberatan', ['self'])).toEqual({ allowed: false, refusal: 'inactive' });
  });

  it('scopes a list by the broadest role', () => {
    expect(scopeOf(asn, 'recap')).toEqual({ kind: 'none' });
    expect(scopeOf(atasan, 'recap')).toEqual({ kind: 'reports', atasanId: 'b' });
    expect(scopeOf({ ...atasan, pengelolaOf: ['pd-1'] }, 'recap')).toEqual({ kind: 'perangkatDaerah', pdIds: ['pd-1'] });
    expect(scopeOf({ ...pengelola, bkppAdmin: true }, 'broadcast')).toEqual({ kind: 'all' });
    expect(scopeOf(asn, 'status')).toEqual({ kind: 'self', employeeId: 'a' });
  });

  it('reads roles from an employee profile', () => {
    const subject = accessSubjectOf({
      id: 'x',
      active: true,
      isAtasan: false,
      roles: [
        { role: 'pengelola', unitId: 'pd-2' },
        { role: 'bkpp_admin', unitId: null },
      ],
    });
    expect(subject).toEqual({ id: 'x', active: true, isAtasan: false, pengelolaOf: ['pd-2'], bkppAdmin: true });
  });
});
