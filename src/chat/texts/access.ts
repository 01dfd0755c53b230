// What the bot says when the access policy refuses: polite, and never naming the employee or case asked about.
export const accessTexts = {
  /** Any command, button or file from an employee no longer active in the roster (HTML: the caller escapes the name). */
  inactiveInRoster: (perangkatDaerah: string | null) =>
    'Mohon maaf, data kepegawaian Bapak/Ibu saat ini tidak aktif dalam daftar pegawai, sehingga layanan bot ini ' +
    'tidak dapat digunakan. Silakan hubungi pengelola kepegawaian' +
    (perangkatDaerah ? ` di ${perangkatDaerah}` : ' di perangkat daerah Bapak/Ibu') +
    ' untuk memeriksa data Bapak/Ibu.',
  /** The same, short enough for a button's toast. */
  inactiveInRosterShort: 'Data kepegawaian Bapak/Ibu tidak aktif dalam daftar pegawai. Silakan hubungi pengelola kepegawaian.',
  /** A read of data outside the reader's scope (a case, its evidence, an employee's log). */
  notYoursToSee: 'Mohon maaf, data ini bukan untuk Bapak/Ibu lihat. Bapak/Ibu hanya dapat membuka data yang menjadi wewenang Bapak/Ibu.',
  /** An action on a target outside the actor's scope. */
  notYoursToDo: 'Mohon maaf, tindakan ini di luar wewenang Bapak/Ibu.',
};
