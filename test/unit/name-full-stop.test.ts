// Messages that end a sentence right after a person's (or a unit's) name: a name ending in a title's period
// ("S.E.") gets no second full stop, and a name without one still ends its sentence.
import { describe, expect, it } from 'vitest';
import { texts } from '../../src/chat/texts/common.js';
import { awardTexts } from '../../src/chat/texts/award.js';
import { broadcastTexts } from '../../src/chat/texts/broadcast.js';

const withTitle = 'Dewi Nugroho, S.E.';
const plain = 'Ayu Kartika Sari';

const messages = (nama: string): Array<[string, string]> => [
  ['linked', texts.linked(nama)],
  ['alreadyLinked', texts.alreadyLinked(nama)],
  ['telegramLinkedElsewhere', texts.telegramLinkedElsewhere(nama)],
  ['award resumed', awardTexts.resumed(nama)],
  ['broadcast intro', broadcastTexts.intro(nama)],
];

describe('a full stop after a name', () => {
  it('is not doubled after a title ending in a period', () => {
    for (const [where, text] of messages(withTitle)) {
      expect(text, where).toContain('S.E.</b>');
      expect(text, where).not.toMatch(/S\.E\.(<\/b>)?\./);
      // The title's period ends the sentence: what follows is a line break, a space, or nothing.
      expect(text, where).toMatch(/S\.E\.<\/b>(\s|$)/);
    }
  });

  it('still ends the sentence after a name without one', () => {
    for (const [where, text] of messages(plain)) expect(text, where).toContain(`${plain}</b>.`);
  });
});
