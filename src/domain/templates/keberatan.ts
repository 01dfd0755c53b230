// Keberatan (objection) to a periodic performance result, PP 30/2019 ps. 59 (domain.md §10).
export const KEBERATAN_PROCEDURE = 'keberatan';
