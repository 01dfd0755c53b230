// Synthetic organisations for benchmarks and drills: one perangkat daerah, a head, N atasan with M staff each.

/** A valid, unique PNS NIP for every i (birth date and serial vary with i). */
export function syntheticNip(i: number): string {
  const serial = (i % 900) + 1;
  const d = Math.floor(i / 900);
  const day = (d % 28) + 1;
  const month = (Math.floor(d / 28) % 12) + 1;
  const year = 1970 + Math.floor(d / 336);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${year}${pad(month, 2)}${pad(day, 2)}${year + 25}01${(i % 2) + 1}${pad(serial, 3)}`;
}

export interface SyntheticOrg {
  csv: string;
  headNip: string;
  atasanNips: string[];
  staffNips: string[][];
}

export function syntheticOrg(atasanCount: number, staffPerAtasan: number): SyntheticOrg {
  const lines = ['nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran'];
  let i = 0;
  const headNip = syntheticNip(i++);
  lines.push(`${headNip};Kepala Dinas Uji;Kepala Dinas;jpt;Dinas Uji;;;pengelola|bkpp_admin`);
  const atasanNips: string[] = [];
  const staffNips: string[][] = [];
  for (let a = 0; a < atasanCount; a++) {
    const nip = syntheticNip(i++);
    atasanNips.push(nip);
    lines.push(`${nip};Atasan ${a + 1};Kepala Seksi ${a + 1};pengawas;Dinas Uji / Bidang ${Math.floor(a / 20) + 1} / Seksi ${a + 1};${headNip};;`);
    const staff: string[] = [];
    for (let s = 0; s < staffPerAtasan; s++) {
      const staffNip = syntheticNip(i++);
      staff.push(staffNip);
      lines.push(`${staffNip};Staf ${a + 1}-${s + 1};Pelaksana;pelaksana;Dinas Uji / Bidang ${Math.floor(a / 20) + 1} / Seksi ${a + 1};${nip};;`);
    }
    staffNips.push(staff);
  }
  return { csv: lines.join('\n'), headNip, atasanNips, staffNips };
}
