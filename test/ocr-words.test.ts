// Repairs of OCR words and reading of greyscale fills: each case is a misreading tesseract
// makes (or a legend a council prints) with the reading a person would give, written here.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBulletGlyph, isSpeck, readsAsWords, unglueBullet } from '../pipeline/ocr.js';
import { joinRefPieces, joined, repairLine, respell, restoreRefDots, romanNumeral, unconfuse, unglued } from '../pipeline/ocr-words.js';
import { calibrate, shadeOf, valueNamedBy } from '../pipeline/parse/shades.js';

describe('OCR word repairs', () => {
  it('undoes one letter confusion when that alone makes an English word', () => {
    expect(unconfuse('govemance')).toBe('governance');
    expect(unconfuse('concem,')).toBe('concern,');
    expect(unconfuse('mtegrated')).toBe('integrated');
    expect(unconfuse('[oint')).toBe('Joint');
    expect(unconfuse('Govemance')).toBe('Governance');
    // The stem of an i a rule crossed, read as a hyphen.
    expect(unconfuse('equ-ty')).toBe('equity');
    for (const t of ['co-ordinate', 're-engage', 'e-mail', 'well-being']) expect(unconfuse(t)).toBeNull();
  });

  it('leaves English words, names, numbers, refs and acronyms alone', () => {
    for (const t of ['governance', 'Leicestershire', 'SEND', 'EHCP', '1.2.3', '2018', 'JD/SL', 'a', 'terms']) expect(unconfuse(t)).toBeNull();
  });

  it('joins a word split at a wide letter, and only when apart they are not both words', () => {
    expect(joined('J', 'oint')).toBe('Joint');
    expect(joined('Co', 'mmissioning')).toBe('Commissioning');
    expect(joined('[', 'oint')).toBe('Joint');
    expect(joined('J', 'SNA')).toBe('JSNA');
    expect(joined('a', 'typical')).toBeNull();
    expect(joined('in', 'form')).toBeNull();
    expect(joined('A', 'SEND')).toBeNull();
  });

  it('joins a word a ruling cut in two, with the m it cut to an n, and leaves words cut from words apart', () => {
    expect(joined('alignn', 'ent')).toBe('alignment');
    expect(joined('alignn', 'ent.')).toBe('alignment.');
    expect(joined('the', 'ent')).toBeNull();
    // Only a cut word loses a stem: a word read whole keeps its n ("Jan" is not "jam").
    expect(unconfuse('jan')).toBeNull();
  });

  it('splits a function word run into its neighbour and misread by one confusion ("schoolsend", 003), and only one of three letters', () => {
    expect(unglued('schoolsend')).toEqual(['schools', 'and']);
    expect(unglued('parentsend.')).toEqual(['parents', 'and.']);
    // Words, and two-letter pieces ("ta" is near to, at, a...: "tagets" is a misread word, not "to gets").
    for (const w of ['weekend', 'attend', 'pretend', 'tagets', 'tumover']) expect(unglued(w)).toBeNull();
  });

  it('splits a function word run into its neighbour, or two', () => {
    expect(unglued('orin')).toEqual(['or', 'in']);
    expect(unglued('ofthe,')).toEqual(['of', 'the,']);
    expect(unglued('caseworkeranda')).toEqual(['caseworker', 'and', 'a']);
    expect(unglued('anda')).toEqual(['and', 'a']);
    expect(unglued('inform')).toBeNull();
    expect(unglued('toolkit')).toBeNull();
  });

  it('respells a word tesseract was unsure of as the likeliest common word, by glyph confusions first', () => {
    // Misreadings seen in the scanned fixtures, with what was printed.
    const cases: [string, string][] = [
      ['worksiream', 'workstream'],
      ['meastrable', 'measurable'],
      ['mejority', 'majority'],
      ['disnupts', 'disrupts'],
      ['Clealy', 'Clearly'],
      ['embeded', 'embedded'],
      ['Inprovement', 'Improvement'],
      ['Chilciren', 'Children'],
      ['inchision', 'inclusion'], // not "incision": h for "lu" is a glyph confusion, dropping an h is not
      ['hy', 'by'],
      ['(temmly)', '(termly)'],
    ];
    for (const [read, printed] of cases) expect(respell(read, 40)).toBe(printed);
    // An English word only into a far commoner one, and only when tesseract was unsure.
    expect(respell('tens', 70)).toBe('terms');
    expect(respell('tens', 90)).toBeNull();
    // A long reading no list holds is respelt however sure tesseract was; a short sure one only by one confusion.
    expect(respell('worksiream', 95)).toBe('workstream');
    expect(respell('mised', 95)).toBeNull();
    expect(respell('hid', 40)).toBeNull();
  });

  it('respells a rare word one glyph merge from a far commoner one whatever the confidence, and nothing else that is sure', () => {
    expect(respell('leaming', 95)).toBe('learning');
    expect(respell('Leaming', 95)).toBe('Learning');
    expect(respell('reword', 95)).toBeNull(); // a vowel is not a merge of glyphs
    expect(respell('modem', 95)).toBeNull();
  });

  it('undoes a 1 read for a faint r, i or l among a word\'s letters, and leaves codes of letters and digits', () => {
    expect(unconfuse('1outine')).toBe('routine');
    expect(unconfuse('1isks')).toBe('risks');
    expect(unconfuse('wi1l')).toBe('will');
    for (const code of ['Y10', 'KS4', '1st', '10am', 'S30', 'fi1e']) expect(unconfuse(code)).toBeNull(); // fi1e: file or fire
  });

  it('respells a sure reading that is no word at all by one glyph confusion into the one common word it can be', () => {
    // A faint scan loses strokes however sure tesseract is (001.v2, 003.v2).
    for (const [read, printed] of [['conect', 'correct'], ['huilt', 'built'], ['canied', 'carried'], ['responsihilities', 'responsibilities'], ['haining', 'training'], ['Perents', 'Parents']] as [string, string][]) expect(respell(read, 95)).toBe(printed);
    // Not words of the list, acronyms and names, short tokens, or readings two confusions away.
    for (const read of ['hoards', 'wellbeing', 'signposting', 'sendiass', 'EHCPs', 'cyp', 'fremsition']) expect(respell(read, 95)).toBeNull();
  });

  it('respells a short sure token no dictionary holds only into a far commoner function word ("hy" for by, 003)', () => {
    expect(respell('hy', 90)).toBe('by');
    expect(respell('fo', 90)).toBe('to');
    // Roman numerals, numbers of the list too, stay; so do short tokens near no common word, or near two alike.
    for (const read of ['ii', 'iv', 'xi', 'nm', 'yp', 'tc', 'ot']) expect(respell(read, 90)).toBeNull();
  });

  it('leaves the words people wrote as they are: every word of the fixtures\' expected records, read with confidence', () => {
    const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'expected');
    const words = new Set<string>();
    for (const f of readdirSync(root).filter((x) => x.endsWith('.jsonl')))
      for (const line of readFileSync(path.join(root, f), 'utf8').split('\n').filter(Boolean)) for (const w of String(JSON.parse(line).text ?? '').split(/\s+/)) if (w) words.add(w);
    expect(words.size).toBeGreaterThan(2000);
    const changed = [...words].filter((w) => respell(w, 90) !== null);
    expect(changed).toEqual([]);
    // Nor is one confusion undone in any of them: acronyms with small letters (SLEs, CwD, IAMs, HTs) and a
    // bracket before a word ("(link") are as printed.
    expect([...words].filter((w) => unconfuse(w) !== null)).toEqual([]);
  });

  it('does not respell names, acronyms, abbreviations or numbers', () => {
    for (const t of ['SENDIB', 'EHCPs', 'SENDCo', 'Cllr', 'Azmat', 'Bracknell', 'Worcestershire', 'Ofsted', '2018', 'A1', 'JD/SL']) expect(respell(t, 20)).toBeNull();
  });

  it('joins the pieces of a reference read apart, and gives a reference the piece it lost from the numbering above', () => {
    // A column of references at x=566 (boxes [left, top, right, baseline], y down), some read in pieces.
    const at = (text: string, x0: number, x1: number, row: number) => ({ text, box: [x0, 100 + row * 19, x1, 109 + row * 19] as [number, number, number, number] });
    const words = [
      at('2.1.', 566, 580, 0), at('1', 582, 585, 0),
      at('1.2', 574, 585, 1), // its "2." was not read at all
      at('2.', 566, 572, 2), at('1.3', 574, 585, 2),
      at('2.', 566, 572, 3), at('1.', 574, 581, 3), at('4', 579, 585, 3),
    ];
    expect(restoreRefDots(words).map((w) => w.text)).toEqual(['2.1.1', '2.1.2', '2.1.3', '2.1.4']);
    expect(restoreRefDots(words)[0]!.box).toEqual([566, 100, 585, 109]);
    // "2. 1" with words around it on its line is a sentence, not a reference.
    const sentence = [at('scored', 500, 530, 0), at('2.', 533, 539, 0), at('1', 541, 544, 0), at('in', 547, 556, 0)];
    expect(joinRefPieces(sentence).map((w) => w.text)).toEqual(['scored', '2.', '1', 'in']);
  });

  it('takes a sideways reading as text only when it holds words', () => {
    expect(readsAsWords(['AREA', '2', '-', 'Quality', 'of', 'EHC', 'plans'])).toBe(true);
    expect(readsAsWords(['Sustained'])).toBe(true);
    expect(readsAsWords(['NONONN', 'wu', '='])).toBe(false);
    expect(readsAsWords(['=', '(', '[#5]'])).toBe(false);
  });

  it('gives roman item numbers their i\'s back, where the result is a roman numeral with its dot or bracket', () => {
    expect(romanNumeral('il.')).toBe('ii.');
    expect(romanNumeral('ili.')).toBe('iii.');
    expect(romanNumeral('Il.')).toBe('ii.');
    expect(romanNumeral('(il)')).toBe('(ii)');
    expect(romanNumeral('vl.')).toBe('vi.');
    expect(romanNumeral('1ii.')).toBe('iii.');
    expect(romanNumeral('v1.')).toBe('vi.');
    for (const t of ['ii.', 'iv.', 'Il', '1.', '11.', '1l.', 'ill.', 'lv', 'all.']) expect(romanNumeral(t)).toBeNull();
  });

  it('splits a bullet read glued to the first word of its line, and nothing else', () => {
    const w = (text: string, x0: number, x1: number) => ({ text, box: [x0, 0, x1, 10] as [number, number, number, number] });
    const line = unglueBullet([w('«The', 0, 30), w('Local', 34, 60)]);
    expect(line.map((x) => x.text)).toEqual(['\u2022', 'The', 'Local']);
    expect(line[0]!.box[2]).toBeLessThan(line[1]!.box[0]);
    expect(line[1]!.box[2]).toBe(30);
    for (const text of ['+44', '«the', 'The', '*']) expect(unglueBullet([w(text, 0, 30)]).map((x) => x.text)).toEqual([text]);
  });

  it('drops marks read from specks of noise, and keeps the marks that are text', () => {
    for (const t of ['~~', '»', ',', '..', '`']) expect(isSpeck(t)).toBe(true);
    for (const t of ['I', '|', '-', '/', '&', '%', '£', 'a', '1']) expect(isSpeck(t)).toBe(false);
  });

  it('repairs a line: split words joined with their boxes united, glued words split with the box shared', () => {
    const w = (text: string, x0: number, x1: number) => ({ text, box: [x0, 0, x1, 10] as [number, number, number, number], confidence: 90, size: 10 });
    const line = repairLine([w('a', 0, 5), w('new', 8, 25), w('J', 28, 32), w('oint', 34, 52), w('plan', 56, 75), w('orin', 80, 100)]);
    expect(line.map((x) => x.text)).toEqual(['a', 'new', 'Joint', 'plan', 'or', 'in']);
    expect(line[2]!.box).toEqual([28, 0, 52, 10]);
    expect(line[4]!.box[0]).toBe(80);
    expect(line[5]!.box[2]).toBe(100);
    expect(line[4]!.box[2]).toBeLessThan(line[5]!.box[0]);
    // Far apart, two pieces are two words.
    expect(repairLine([w('J', 0, 4), w('oint', 20, 40)]).map((x) => x.text)).toEqual(['J', 'oint']);
  });

  it('puts back the dots a column of references lost, from the numbering around them', () => {
    const column = (texts: string[]) => texts.map((text, i) => ({ text, box: [100, i * 20, 120, i * 20 + 10] as [number, number, number, number] }));
    expect(restoreRefDots(column(['1.1.1', '1.1.2', '113', '1.2.1', '122', '1.34', '1.4.1'])).map((w) => w.text)).toEqual(['1.1.1', '1.1.2', '1.1.3', '1.2.1', '1.2.2', '1.3.4', '1.4.1']);
    expect(restoreRefDots(column(['3.1', '3.2', '33', '4.1', '42'])).map((w) => w.text)).toEqual(['3.1', '3.2', '3.3', '4.1', '4.2']);
    // A number on its own, with no column of dotted references beside it, is a number.
    expect(restoreRefDots(column(['2018', 'abc', '71'])).map((w) => w.text)).toEqual(['2018', 'abc', '71']);
  });

  it('gives a code its digit back where the context says it is a code: after the noun it numbers, or in a column of codes', () => {
    const w = (text: string, x0: number, x1: number) => ({ text, box: [x0, 0, x1, 10] as [number, number, number, number], confidence: 90, size: 10 });
    expect(repairLine([w('Objective', 0, 40), w('Al', 44, 52), w('Address', 56, 80)]).map((x) => x.text)).toEqual(['Objective', 'A1', 'Address']);
    expect(repairLine([w('Al', 0, 8), w('Gore', 12, 30)]).map((x) => x.text)).toEqual(['Al', 'Gore']);
    const column = (texts: string[]) => texts.map((text, i) => ({ text, box: [100, i * 20, 120, i * 20 + 10] as [number, number, number, number] }));
    expect(restoreRefDots(column(['Al', 'A2', 'A3'])).map((x) => x.text)).toEqual(['A1', 'A2', 'A3']);
    expect(restoreRefDots(column(['Al', 'Bob'])).map((x) => x.text)).toEqual(['Al', 'Bob']);
  });

  it('knows a bullet as tesseract reads one', () => {
    for (const t of ['+', '«+', 'e', '©', '•', '*']) expect(isBulletGlyph(t)).toBe(true);
    for (const t of ['ee', 'The', '1.', 'A']) expect(isBulletGlyph(t)).toBe(false);
  });
});

describe('greyscale fills', () => {
  it('tells grey fills from coloured ones', () => {
    expect(shadeOf('#505050')).toBe(80);
    expect(shadeOf('#00B050')).toBeNull();
  });

  it('reads what a legend label names: colour words, letter codes, not-due words, status words', () => {
    expect(valueNamedBy('Red - not on track / significant concerns')).toBe('red');
    expect(valueNamedBy('‘Purple - too early to measure impact')).toBe('purple');
    expect(valueNamedBy('Completed (B)')).toBe('blue');
    expect(valueNamedBy('On track, some concerns (A)')).toBe('amber');
    expect(valueNamedBy('Not due yet (G)')).toBe('not-due');
    expect(valueNamedBy('Little or no progress')).toBe('red');
    expect(valueNamedBy('Progressing')).toBe('amber');
    expect(valueNamedBy('Quarter 3')).toBeNull();
  });

  it('gives each swatch its own value: by its label first, by how dark it prints where labels clash or say nothing', () => {
    // Leicester City's legend: two labels read as "complete"; the lighter swatch is the green one.
    expect(calibrate([
      { shade: 88.5, label: 'Completed and embedded' },
      { shade: 111.5, label: 'Completed' },
      { shade: 185, label: 'Progressing' },
      { shade: 77, label: 'Little or no progress' },
    ])).toEqual(['blue', 'green', 'amber', 'red']);
    // Labels that name nothing: red and purple print 4 levels apart, and are told apart by shade alone.
    expect(calibrate([
      { shade: 76.7, label: 'Level 1' },
      { shade: 184.6, label: 'Level 2' },
      { shade: 111.2, label: 'Level 3' },
    ])).toEqual(['red', 'amber', 'green']);
  });
});
