import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT_SETTINGS } from '../pipeline/layout/settings.js';
import {
  foldConfusables,
  joinLines,
  normaliseText,
  parseDue,
  repairSplitWords,
  resolveLeads,
  splitLeads,
  splitPartners,
  vocabularyOf,
} from '../pipeline/normalise.js';
import { Due, FixtureSpec, type SpecAction, type SpecDue } from '../schemas/index.js';

const specsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'specs');
const specs: FixtureSpec[] = readdirSync(specsDir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.changes.json'))
  .sort()
  .map((f) => FixtureSpec.parse(JSON.parse(readFileSync(path.join(specsDir, f), 'utf8'))));
const spec = (name: string): FixtureSpec => specs.find((s) => s.name === name)!;

/** Every action of every spec. */
const specActions: SpecAction[] = specs.flatMap((s) => s.areas.flatMap((a) => a.objectives.flatMap((o) => o.actions)));

/** Every distinct due the specs give (actions, measures, milestones, impact indicators), by printed text. */
const specDues: SpecDue[] = (() => {
  const byText = new Map<string, SpecDue>();
  for (const s of specs)
    for (const a of s.areas) {
      const measures = [...(a.impactIndicators ?? []), ...a.objectives.flatMap((o) => [...(o.milestones ?? []), ...o.actions.flatMap((x) => x.measures)])];
      for (const d of [...measures.map((m) => m.due), ...a.objectives.flatMap((o) => o.actions.map((x) => x.due))]) if (d) byText.set(d.text, d);
    }
  return [...byText.values()];
})();

/** Every distinct lead cell of the specs with the codes split by hand. */
const specLeads: [string, string[]][] = [
  ...new Map(specActions.filter((a) => a.leadsText).map((a) => [a.leadsText!, a.leads] as [string, string[]])).entries(),
];

describe('normaliseText', () => {
  it.each([
    ['whitespace runs and no-break spaces fold to one space, trimmed', '  Audit \u00a0and\t tracking\n', 'Audit and tracking'],
    ['NFKC expands ligatures', 'ﬁnal ﬂow', 'final flow'],
    ['curly quotes are kept', 'parents’ views “heard”', 'parents’ views “heard”'],
    ['footnote markers are not turned into digits', 'Evidence of success ¹', 'Evidence of success ¹'],
    ['Cyrillic а Ј inside a rotated area label (000)', 'Absence of а Јоint Commissioning', 'Absence of a Joint Commissioning'],
    ['an all look-alike lead code alone (003 "СТ")', 'СТ', 'CT'],
    ['all look-alike codes among Latin words (003 "ЕНСР", "ТВС")', 'ЕНСР quality audit ТВС', 'EHCP quality audit TBC'],
    ['Cyrillic Ү in an acronym (000 "СҮР")', 'СҮР', 'CYP'],
    ['a Latin word with a Greek omicron and nu', 'Gοvernance reνiew', 'Governance review'],
    ['a real Cyrillic word is left alone', 'Москва', 'Москва'],
    ['look-alike words beside a real Cyrillic word stay Cyrillic', 'Москва ОАО', 'Москва ОАО'],
    ['a real Greek word is left alone', 'Δημος', 'Δημος'],
    ['zero-width characters vanish', 'co\u200Bproduce\uFEFF', 'coproduce'],
    ['a line-break hyphen goes', 'Under considera-\ntion', 'Under consideration'],
    ['a soft hyphen at a line end goes', 'informa\u00AD\ntion', 'information'],
    ['empty text', ' \n ', ''],
  ])('%s', (_quirk, raw, expected) => {
    expect(normaliseText(raw)).toBe(expected);
  });
});

describe('foldConfusables', () => {
  it.each([
    ['mixed word', 'Јоint', 'Joint'],
    ['look-alike code between Latin words', 'lead СТ today', 'lead CT today'],
    ['look-alike word next to a real Cyrillic word', 'ОАО Газпром', 'ОАО Газпром'],
    ['text with nothing to fold', 'Strategy 2018', 'Strategy 2018'],
  ])('%s', (_quirk, raw, expected) => {
    expect(foldConfusables(raw)).toBe(expected);
  });
});

describe('joinLines', () => {
  it.each<[string, string[], string]>([
    ['a word cut by wrapping loses its hyphen', ['Under considera-', 'tion'], 'Under consideration'],
    ['a known prefix keeps its hyphen', ['co-', 'ordination of services'], 'co-ordination of services'],
    ['a capitalised prefix keeps its hyphen', ['Co-', 'ordinated jointly'], 'Co-ordinated jointly'],
    ['other prefixes too: re-, pre-, multi-', ['re-', 'launch the multi-', 'agency pre-', 'school offer'], 're-launch the multi-agency pre-school offer'],
    ['hyphens inside a line are kept', ['to co-produce the', 'plan'], 'to co-produce the plan'],
    ['a hyphen before a digit stays, unspaced', ['Post-', '16 providers'], 'Post-16 providers'],
    ['a hyphen after a digit stays, unspaced', ['ages 0-', '25'], 'ages 0-25'],
    ['a spaced dash stays spaced', ['Babcock -', 'GaSt'], 'Babcock - GaSt'],
    ['plain wrapped lines get one space', ['Dec', '2018'], 'Dec 2018'],
    ['blank lines and extra spaces vanish', ['  E&S  Commissioning ', '', 'Team'], 'E&S Commissioning Team'],
  ])('%s', (_quirk, lines, expected) => {
    expect(joinLines(lines)).toBe(expected);
  });

  it('lets the document vocabulary overrule the prefix list', () => {
    expect(joinLines(['re-', 'view'], vocabularyOf('the review is done'))).toBe('review');
    expect(joinLines(['long-', 'term'], vocabularyOf('a long-term plan'))).toBe('long-term');
    expect(joinLines(['long-', 'term'])).toBe('longterm');
  });
});

describe('repairSplitWords', () => {
  it.each<[string, string, Set<string> | undefined, string]>([
    ['"considera tion" (004 progress check) without a vocabulary', 'Under considera tion', undefined, 'Under consideration'],
    ['word endings that are not words: ment, ness, ity, ous, ing', 'Engage ment aware ness Qual ity vari ous train ing', undefined, 'Engagement awareness Quality various training'],
    ['two real words are never joined', 'on track', undefined, 'on track'],
    ['a function word is never a first half', 'the re a tion', undefined, 'the re a tion'],
    ['endings that are words need a vocabulary', 'suit able', undefined, 'suit able'],
    ['with a vocabulary that knows the join', 'suit able', vocabularyOf('suitable provision'), 'suitable'],
    ['a cut inside an ending, found through the vocabulary (004 "Engageme nt")', 'Workforce and Engageme nt Leads', vocabularyOf('Workforce and Engagement'), 'Workforce and Engagement Leads'],
    ['a capital split through the vocabulary (004 "SENDIAS S lead")', 'SENDIAS S lead', vocabularyOf('SENDIASS'), 'SENDIASS lead'],
    ['halves the vocabulary knows as words stay apart', 'in put', vocabularyOf('in put input'), 'in put'],
    ['punctuation after the second half is kept', 'considera tion.', undefined, 'consideration.'],
  ])('%s', (_quirk, text, vocabulary, expected) => {
    expect(repairSplitWords(text, vocabulary)).toBe(expected);
  });
});

describe('parseDue', () => {
  const due = (text: string, start: string | null, end: string | null) => ({ text, start, end });

  it.each([
    ['a month abbreviated', 'Dec 2018', due('Dec 2018', '2018-12-01', '2018-12-31')],
    ['a month in full', 'December 2018', due('December 2018', '2018-12-01', '2018-12-31')],
    ['"Sept"', 'Sept 2018', due('Sept 2018', '2018-09-01', '2018-09-30')],
    ['a two-digit year', 'Sep 18', due('Sep 18', '2018-09-01', '2018-09-30')],
    ['"Dec 18" (003)', 'Dec 18', due('Dec 18', '2018-12-01', '2018-12-31')],
    ['a 30-day month', 'June 2019', due('June 2019', '2019-06-01', '2019-06-30')],
    ['February of a common year', 'Feb 2019', due('Feb 2019', '2019-02-01', '2019-02-28')],
    ['February of a leap year', 'February 2020', due('February 2020', '2020-02-01', '2020-02-29')],
    ['a UK day/month/year', '15/10/2018', due('15/10/2018', '2018-10-15', '2018-10-15')],
    ['a dotted day with a two-digit year', '15.10.18', due('15.10.18', '2018-10-15', '2018-10-15')],
    ['a day with the month named', '8 August 2018', due('8 August 2018', '2018-08-08', '2018-08-08')],
    ['Autumn Term', 'Autumn Term 2018', due('Autumn Term 2018', '2018-09-01', '2018-12-31')],
    ['Spring Term', 'Spring Term 2019', due('Spring Term 2019', '2019-01-01', '2019-04-30')],
    ['Summer Term', 'Summer Term 2019', due('Summer Term 2019', '2019-04-01', '2019-07-31')],
    ['a term in lower case with a two-digit year', 'autumn term 18', due('autumn term 18', '2018-09-01', '2018-12-31')],
    ['a season with a year is a term', 'Autumn 2018', due('Autumn 2018', '2018-09-01', '2018-12-31')],
    ['"July to September 2018"', 'July to September 2018', due('July to September 2018', '2018-07-01', '2018-09-30')],
    ['a range with an en dash', 'September – November 2018', due('September – November 2018', '2018-09-01', '2018-11-30')],
    ['"Between March and May 2019"', 'Between March and May 2019', due('Between March and May 2019', '2019-03-01', '2019-05-31')],
    ['two dates joined by &', 'July 2018 & September 2018', due('July 2018 & September 2018', '2018-07-01', '2018-09-30')],
    ['two dates side by side', 'Oct 2018 Dec 2019', due('Oct 2018 Dec 2019', '2018-10-01', '2019-12-31')],
    ['dates inside prose, counts of months ignored', 'Jan 2019 (3mths after re-launch) and then April 2019', due('Jan 2019 (3mths after re-launch) and then April 2019', '2019-01-01', '2019-04-30')],
    ['a range over a year end', 'November to March 2019', due('November to March 2019', '2018-11-01', '2019-03-31')],
    ['a slash range', 'Nov/Dec 2018', due('Nov/Dec 2018', '2018-11-01', '2018-12-31')],
    ['a list of bare months', 'Sept, Oct and Nov 2018', due('Sept, Oct and Nov 2018', '2018-09-01', '2018-11-30')],
    ['"By November 2018"', 'By November 2018', due('By November 2018', null, '2018-11-30')],
    ['"by end of March 2019"', 'by end of March 2019', due('by end of March 2019', null, '2019-03-31')],
    ['"before the end of the autumn Term"', 'before the end of the autumn Term 2018', due('before the end of the autumn Term 2018', null, '2018-12-31')],
    ['a deadline beside a dated step leaves the start open', 'All processes completed by January 2019 Oct 2019', due('All processes completed by January 2019 Oct 2019', null, '2019-10-31')],
    ['"From December 2018" has no end', 'From December 2018', due('From December 2018', '2018-12-01', null)],
    ['"from ... to ..." is a closed range', 'From September to December 2018', due('From September to December 2018', '2018-09-01', '2018-12-31')],
    ['a year alone', '2019', due('2019', '2019-01-01', '2019-12-31')],
    ['a calendar quarter', 'Q3 2018', due('Q3 2018', '2018-07-01', '2018-09-30')],
    ['a quarter of the financial year 2018/19', 'Q3 2018/19', due('Q3 2018/19', '2018-10-01', '2018-12-31')],
    ['the last financial quarter is in the next calendar year', 'Q4 2018/19', due('Q4 2018/19', '2019-01-01', '2019-03-31')],
    ['terms of an academic year', 'Over Autumn and Spring Terms 2018 - 19', due('Over Autumn and Spring Terms 2018 - 19', '2018-09-01', '2019-04-30')],
    ['an academic year alone', 'academic year 2018/19', due('academic year 2018/19', '2018-09-01', '2019-08-31')],
    ['"First report in Jan 2019"', 'First report in Jan 2019', due('First report in Jan 2019', '2019-01-01', '2019-01-31')],
    ['a date split over two lines (003)', 'Dec\n2018', due('Dec 2018', '2018-12-01', '2018-12-31')],
    ['several measure dates joined by "; "', 'Oct 2018; Dec 2019; Sept 2019', due('Oct 2018; Dec 2019; Sept 2019', '2018-10-01', '2019-12-31')],
    ['"Complete" is no date', 'Complete', due('Complete', null, null)],
    ['"Ongoing" is no date', 'Ongoing', due('Ongoing', null, null)],
    ['"TBC" is no date', 'TBC', due('TBC', null, null)],
    ['"TBC" in Cyrillic look-alikes (003) is folded and no date', 'ТВС', due('TBC', null, null)],
    ['a month with no year and no default', 'Workshop 1 in September', due('Workshop 1 in September', null, null)],
    ['"may" the verb is no month', 'Schools may attend', due('Schools may attend', null, null)],
    ['an impossible day gives no date at all', '31/02/2019', due('31/02/2019', null, null)],
    ['a reference is not a day', '1.2.10', due('1.2.10', null, null)],
  ])('%s', (_quirk, text, expected) => {
    expect(parseDue(text)).toEqual(expected);
  });

  it.each([
    ['a month with no year takes the default year', 'June', 2019, due('June', '2019-06-01', '2019-06-30')],
    ['a term with no year takes the default year', 'Autumn term annually', 2018, due('Autumn term annually', '2018-09-01', '2018-12-31')],
    ['a month after a dated one takes its year, not the default', 'Autumn Term 2018, aiming for November', 2025, due('Autumn Term 2018, aiming for November', '2018-09-01', '2018-12-31')],
    ['an earlier month after a dated one rolls into the next year', 'Dec 2018 then Feb', 2025, due('Dec 2018 then Feb', '2018-12-01', '2019-02-28')],
  ])('%s', (_quirk, text, defaultYear, expected) => {
    expect(parseDue(text, { defaultYear })).toEqual(expected);
  });

  it.each(['', '   ', '\n'])('is null for an empty cell %j', (text) => {
    expect(parseDue(text)).toBeNull();
  });

  it('always gives a valid Due', () => {
    for (const text of ['November to March 2019', 'Q4 2018/19', 'By Jan 2019', 'From December 2018']) expect(Due.safeParse(parseDue(text)).success).toBe(true);
  });

  it.each(specDues.map((d) => [d.text, d] as const))('gives the spec due of %j', (text, expected) => {
    expect(parseDue(text)).toEqual(expected);
  });
});

describe('splitLeads', () => {
  it.each<[string, string, string[]]>([
    ['codes joined by a slash', 'JD/SL', ['JD', 'SL']],
    ['codes joined by a comma', 'SF, CW', ['SF', 'CW']],
    ['a slash and a space, a three-letter code', 'JD/ SRo', ['JD', 'SRo']],
    ['three codes', 'PT/ CT/ MT', ['PT', 'CT', 'MT']],
    ['a code followed by its role', 'PeRi SEND GM', ['PeRi']],
    ['parenthesised organisations dropped, a name without a code kept', 'PhCo (CCG), PeRi(WCC), LoLe (WCC), M Norton', ['PhCo', 'PeRi', 'LoLe', 'M Norton']],
    ['a label before a colon', 'Public Health: LiAI', ['LiAI']],
    ['a code, its role and organisation', 'CaDr DCS WCC', ['CaDr']],
    ['a code and a long role', 'NiWi AD for Education and Skills', ['NiWi']],
    ['a team with no code', 'E&S Commissioning Team', ['E&S Commissioning Team']],
    ['a board acronym', 'SENDIB', ['SENDIB']],
    ['a forum acronym', 'PCF', ['PCF']],
    ['a board by name', 'SEND Improvement Board', ['SEND Improvement Board']],
    ['a bare code and its designation after a comma', 'CaDr, DCS WCC, SiTr Acc Off CCG\'s', ['CaDr', 'SiTr']],
    ['a role with no code, then codes', 'SEND GM, PhCo (CCG), social care lead', ['SEND GM', 'PhCo', 'social care lead']],
    ['"and" before another role', 'PeRi SEND GM and SEND Comm Mgr', ['PeRi', 'SEND Comm Mgr']],
    ['"and" inside a role is not a separator', 'JuCh Skills and Investment Group Manager RoMo Marketing and Performance Manager', ['JuCh', 'RoMo']],
    ['"with" starts further leads', 'SaWi (WCC) with Project Manager, workstream Leads and parent representatives', ['SaWi', 'Project Manager', 'workstream Leads', 'parent representatives']],
    ['a code in parentheses after an organisation', 'Babcock (HePr) SEND Advisor JuCh – Skills and Investment Manager', ['HePr', 'JuCh']],
    ['a role before a code is a lead of its own', 'Project Manager NiWi AD Education &Skills', ['Project Manager', 'NiWi']],
    ['a name with a parenthesised role and an employer', 'Helen Davies (Principal Learning Support Teacher) Babcock', ['Helen Davies']],
    ['an organisation after a comma is dropped', 'LiAl Public Health Consultant , MaPo Associate School Improvement Early Years Lead, Babcock', ['LiAl', 'MaPo']],
    ['an empty cell', '', []],
  ])('%s: %j', (_quirk, cell, expected) => {
    expect(splitLeads(cell)).toEqual(expected);
  });

  it.each<[string, string, string[]]>([
    ['line breaks separate codes when every line is one (003)', 'JD\nSL', ['JD', 'SL']],
    ['a slash at a line end (003 "JD/" / "SRo")', 'JD/\nSRo', ['JD', 'SRo']],
    ['Cyrillic look-alike codes (003 "СТ", "ТВ")', 'СТ/ ТВ', ['CT', 'TB']],
    ['a wrapped team name is joined again', 'E&S Commissioning\nTeam', ['E&S Commissioning Team']],
    ['a role without a code on its own line (004 2.3.3)', 'LiAI Public Health Consultant\nCCG officer', ['LiAI', 'CCG officer']],
    ['codes on three lines, roles dropped (004 2.3.7)', 'KaCI Senior Ed Advisor for Vulnerable Learners\nMiLa – from ONE data\nRoMo team', ['KaCI', 'MiLa', 'RoMo']],
    ['a lead-in line ending in a colon (004 2.3.1)', 'Co-ordinated jointly by LiHo for Babcock and GM SEND for WCC, with the following leads:\nHePr Babcock – School Improvement\nKaCl Senior Ed Advisor for Vulnerable Learners', ['LiHo', 'GM SEND', 'HePr', 'KaCl']],
    ['codes with roles then a role alone (004 2.3.4)', 'StLa Commissioning Lead\nNuSh SEN Manager\nGM SEND', ['StLa', 'NuSh', 'GM SEND']],
    ['"Transition Team Manager" is one role (004)', 'JiHu Transition Team Manager\nCWD manager\nGM SEND', ['JiHu', 'CWD manager', 'GM SEND']],
    ['a spaced slash before another role', 'PeRi SEND Group Manager / SEN manager', ['PeRi', 'SEN manager']],
  ])('%s', (_quirk, cell, expected) => {
    expect(splitLeads(cell)).toEqual(expected);
  });

  it.each(specLeads)('gives the spec leads of %j', (cell, expected) => {
    expect(splitLeads(cell)).toEqual(expected);
  });
});

describe('splitPartners', () => {
  it.each<[string, string, string[]]>([
    ['commas; slash-joined words kept', 'CYP, Parent/carer reps, multi-agency professionals, Babcock, WCC, schools and settings', ['CYP', 'Parent/carer reps', 'multi-agency professionals', 'Babcock', 'WCC', 'schools and settings']],
    ['a spaced slash between small words kept', 'Early Years providers, schools, charities, parent / carer groups', ['Early Years providers', 'schools', 'charities', 'parent / carer groups']],
    ['a slash before an acronym splits', 'Asst Director Education and Skills/CCG lead', ['Asst Director Education and Skills', 'CCG lead']],
    ['spaced slashes between capitalised names split', 'Public Health / Social Care / CCG / SENDIASS / Family Information Service', ['Public Health', 'Social Care', 'CCG', 'SENDIASS', 'Family Information Service']],
    ['slashes with and without spaces', 'Integrated Commissioners Group/ CCG/ JSNA Working Group/HWBB', ['Integrated Commissioners Group', 'CCG', 'JSNA Working Group', 'HWBB']],
    ['semicolons, and a trailing one', 'Sub-regional partners; Chadsgrove TSA; Babcock Prime Teams; WCC SEN Services; Perryfields PRU; WFS;', ['Sub-regional partners', 'Chadsgrove TSA', 'Babcock Prime Teams', 'WCC SEN Services', 'Perryfields PRU', 'WFS']],
    ['commas inside parentheses do not split', 'Babcock (GaSt, Ann O’Sullivan), Health', ['Babcock (GaSt, Ann O’Sullivan)', 'Health']],
    ['a trailing comma leaves no empty partner', 'Commissioning Team\nMike Lambert Team – CFC Systems,', ['Commissioning Team', 'Mike Lambert Team – CFC Systems']],
    ['slashes after a dash list a team\'s members', 'WCC Data Management Team – ToLe / SaFe\nSEND Group Manager', ['WCC Data Management Team – ToLe / SaFe', 'SEND Group Manager']],
    ['a bare code and its designation are one partner', 'NiWi, AD Education and Skills\nKaCo Project Manager', ['NiWi, AD Education and Skills', 'KaCo Project Manager']],
    ['full stops end partners', 'StCo/DeHe/LiAl/SaCa/FiP/SENDIASS\nEducation/social care. CCG and WHCT. Early Years settings. Babcock Early Years Inclusion Team.', ['StCo', 'DeHe', 'LiAl', 'SaCa', 'FiP', 'SENDIASS', 'Education/social care', 'CCG and WHCT', 'Early Years settings', 'Babcock Early Years Inclusion Team']],
    ['Parents/Carers stays whole (004 2.2.5)', 'Schools\nParents/Carers\nSaCa', ['Schools', 'Parents/Carers', 'SaCa']],
    ['a "label:" line and dash bullets (004 2.2.1)', 'Phase Leadership Groups\nSENCOs\nExternal support services:\n- Babcock Prime SEN services\n- Outreach\n- Health services\nSEN casework officers', ['Phase Leadership Groups', 'SENCOs', 'Babcock Prime SEN services', 'Outreach', 'Health services', 'SEN casework officers']],
    ['a line starting in lower case continues the one before (004 2.3.3)', 'WCC\nBabcock – LiHo\nWHCT and CCG (and other commissioned health providers)\nChildren and Adults\nsocial care\nMarket Management and Research Team', ['WCC', 'Babcock – LiHo', 'WHCT and CCG (and other commissioned health providers)', 'Children and Adults social care', 'Market Management and Research Team']],
    ['one partner per line, parentheses kept (004 2.3.1)', 'Special School Head Teachers\nMainstream Head Teachers (Academy and Maintained)\nSENCOs\nPastoral Leads in schools\nRoMo Market Management and Research Manager (for the provision of data)\nGaSt Specialist Education and Safeguarding', ['Special School Head Teachers', 'Mainstream Head Teachers (Academy and Maintained)', 'SENCOs', 'Pastoral Leads in schools', 'RoMo Market Management and Research Manager (for the provision of data)', 'GaSt Specialist Education and Safeguarding']],
    ['a full stop at a line end (004 2.2.3)', 'GM SEND\nLearning and Teaching Adviser.\nSEN services Babcock\nMembers of HLN Panel', ['GM SEND', 'Learning and Teaching Adviser', 'SEN services Babcock', 'Members of HLN Panel']],
    ['a slash to a code splits (004 2.3.4)', 'All educational settings and schools\nSEND providers eg Babcock (LiHo)\nJu Ch (Skills and Investment Group Manager post-16)\nFrKe LD Commissioner/StLa\nTransitions team JiHu', ['All educational settings and schools', 'SEND providers eg Babcock (LiHo)', 'Ju Ch (Skills and Investment Group Manager post-16)', 'FrKe LD Commissioner', 'StLa', 'Transitions team JiHu']],
    ['"and/or" stays whole', 'PeRi SEND GM with SENDIASS and/or PCF', ['PeRi SEND GM with SENDIASS and/or PCF']],
    ['an empty cell', '  \n', []],
  ])('%s', (_quirk, cell, expected) => {
    expect(splitPartners(cell)).toEqual(expected);
  });
});

describe('resolveLeads', () => {
  const worcestershire = spec('004-worcestershire').owners;
  const leicester = spec('003-leicester-city').owners;

  it.each<[string, string[], { code: string; name: string }[], (string | null)[]]>([
    ['exact codes (003)', ['JD', 'SRo', 'JDi'], leicester, ['Joe Dawson', 'Sandra Roberts', 'Jackie Difolco']],
    ['capital I for small l: "KaCI" is KaCl, "LiAI" is LiAl (004)', ['KaCI', 'LiAI'], worcestershire, ['Katie Clegg', 'Liz Altay']],
    ['a Cyrillic look-alike code (003 "СТ")', ['СТ', 'ТВ'], leicester, ['Caroline Tote', 'Teo Bott']],
    ['a code the table does not have', ['MaPo', 'SuAI'], worcestershire, [null, null]],
    ['a lead without a code', ['M Norton', 'CCG officer'], worcestershire, [null, null]],
    ['a code split by a space', ['Ju Ch'], worcestershire, ['Judy Chadwick']],
    ['case differs', ['peri'], worcestershire, ['Penny Richardson']],
    ['exact beats lenient: "SR" is not "SRo"', ['SR', 'SRo'], leicester, ['Cllr Sarah Russell', 'Sandra Roberts']],
    ['an ambiguous lenient match gives null', ['Al'], [{ code: 'AI', name: 'A One' }, { code: 'Al', name: 'A Two' }, { code: 'A1', name: 'A Three' }], ['A Two']],
    ['an ambiguous lenient match without an exact one gives null', ['AL'], [{ code: 'AI', name: 'A One' }, { code: 'A1', name: 'A Three' }], [null]],
    ['no owners table', ['JD'], [], [null]],
  ])('%s', (_quirk, codes, owners, expected) => {
    expect(resolveLeads(codes, owners)).toEqual(expected);
  });

  it('resolves by exact code only when asked to, as the fixture expected records do', () => {
    expect(resolveLeads(['KaCI', 'KaCl'], worcestershire, { tolerant: false })).toEqual([null, 'Katie Clegg']);
  });
});

describe('area headings', () => {
  it('reads the area keyword, its number and title, also where a scan got the keyword one letter wrong', async () => {
    const { parseAreaLabel } = await import('../pipeline/parse/context.js');
    const { isAreaHeading } = await import('../pipeline/parse/settings.js');
    expect(parseAreaLabel('AREA 4: Workforce Development')).toMatchObject({ ref: '4', title: 'Workforce Development' });
    expect(parseAreaLabel('AREFA 4: Workforce Development')).toMatchObject({ ref: '4', displayRef: 'AREA 4', title: 'Workforce Development' });
    expect(parseAreaLabel('Prionity 2 - Inclusion')).toMatchObject({ ref: '2', title: 'Inclusion' });
    expect(parseAreaLabel('Work stream 1 – Local Offer')).toMatchObject({ ref: '1', title: 'Local Offer' });
    // Without a separator a near-keyword is a sentence, and a word two letters off is another word.
    expect(isAreaHeading('Are 4 schools enough')).toBe(false);
    expect(isAreaHeading('Arena 4 schools')).toBe(false);
    expect(isAreaHeading('Agenda 4: minutes')).toBe(false);
    expect(isAreaHeading('Areas 2: the next')).toBe(true);
  });
});

describe('repeated table headers', () => {
  it('takes a header repeated on the next page as the same header when a scan lost a word or read a footnote mark, and not when its words differ', async () => {
    const { sameHeader } = await import('../pipeline/parse/reading.js');
    const first = ['Sub finding', 'Action to address finding', 'Lead\nperson', 'Evidence of success 1', 'Target\ndate'];
    expect(sameHeader(['Sub finding', 'Action to address finding', 'Lead person', 'Evidence of success’', 'date'], first)).toBe(true);
    expect(sameHeader(['Sub finding', 'Action to address finding', 'Lead person', 'Evidence of success 2', 'Target date'], first)).toBe(true);
    expect(sameHeader(['Sub finding', 'Action to address finding', 'Lead person', 'Evidence of sucoess', 'Target date'], first)).toBe(true);
    expect(sameHeader(['Ref', 'Action', 'Owner', 'Measure', 'Due'], first)).toBe(false);
    expect(sameHeader(['Sub finding', 'Action to address finding', 'Lead person', 'Evidence of progress', 'Target date'], first)).toBe(false);
    expect(sameHeader(['Sub finding', 'Action', 'Lead'], first)).toBe(false);
    expect(sameHeader(['', '', '', '', ''], ['', '', '', '', ''])).toBe(false);
  });
});

describe('references read without their dots', () => {
  // [read, the objective above, what it is]
  const cases: [string, string | null, string | null][] = [
    ['414', '4.1', '4.1.4'],
    ['4110', '4.1', '4.1.10'],
    ['421.', '4.2', '4.2.1'],
    ['414', '4.2', null], // another objective's digits
    ['41', '4.1', null], // the objective itself
    ['410', '4.1', null], // no item 0
    ['2022', '2.0', null], // a year
    ['414', null, null],
    ['A14', 'A1', null],
  ];
  it.each(cases)('%s under %s is %s', async (read, parent, ref) => {
    const { undottedRef } = await import('../pipeline/parse/context.js');
    expect(undottedRef(read, parent)).toBe(ref);
  });
});

describe('roman numerals a scan misread', () => {
  it.each<[string, string | null, string]>([
    ['1. Engage leads', 'i', 'Engage leads'],
    ['11. Review the process', 'ii', 'Review the process'],
    ['1ii. Work with employers', 'iii', 'Work with employers'],
    [') } ) ii. Identify leads', 'ii', 'Identify leads'],
    ['lv. Map the offer', 'iv', 'Map the offer'],
    ['12. Twelve', null, ''],
    ['2. Two', null, ''],
    ['Engage leads', null, ''],
    ['I will', null, ''],
  ])('%s', async (text, value, rest) => {
    const { romanLookalikeRef } = await import('../pipeline/parse/context.js');
    const r = romanLookalikeRef(text);
    expect(r?.value ?? null).toBe(value);
    if (r) expect(r.rest).toBe(rest);
  });
  it('counts on from a numeral', async () => {
    const { nextRomanNumeral } = await import('../pipeline/parse/context.js');
    expect(['i', 'ii', 'iii', 'iv', 'viii', 'ix', 'xix', 'xx', 'q'].map(nextRomanNumeral)).toEqual(['ii', 'iii', 'iv', 'v', 'ix', 'x', 'xx', null, null]);
  });
});

describe('lines from words', () => {
  it('keeps a small item marker on its line when the line\'s first word sits high (a raised dash)', async () => {
    const { wordsOf } = await import('../pipeline/layout/words.js');
    const { linesOf } = await import('../pipeline/layout/lines.js');
    const item = (str: string, x: number, y: number, fontSize: number) => ({ str, x, y, width: 5 * str.length, height: fontSize, fontName: 'ocr', fontSize, angle: 0, transform: [fontSize, 0, 0, fontSize, x, y], hasEOL: false });
    // As a scan reads 004's "c. The number of ... September 2018 - May 2019.": the dash 2 pt above the baseline, the marker in a smaller size.
    const items = [item('C.', 174.5, 364.9, 7.0), item('The', 182.2, 364.9, 8.4), item('number', 199.4, 364.9, 8.4), item('2018', 569.3, 364.9, 8.4), item('-', 590.6, 367.0, 8.4), item('May', 597.1, 364.9, 8.4), item('Parents', 183.1, 378.1, 8.6)];
    const lines = linesOf(wordsOf(items as never), { lineTolerance: 0.35 });
    expect(lines.map((l) => l.text)).toEqual(['Parents', 'C. The number 2018 - May']);
  });
});

describe('objective numbers and letter markers a scan misread', () => {
  it('reads "Objective 24" under area 2 as 2.4 when 2.4 comes next, and not otherwise', async () => {
    const { undottedObjectiveRef } = await import('../pipeline/parse/context.js');
    const area = (ref: string, objectives: number) => ({ ref, objectives: Array.from({ length: objectives }) }) as never;
    expect(undottedObjectiveRef('24', area('2', 3))).toBe('2.4');
    expect(undottedObjectiveRef('24', area('2', 1))).toBeNull(); // 2.2 comes next
    expect(undottedObjectiveRef('24', area('2', 23))).toBeNull(); // the 24th objective
    expect(undottedObjectiveRef('34', area('2', 3))).toBeNull(); // another area's digits
    expect(undottedObjectiveRef('2', area('2', 1))).toBeNull();
    expect(undottedObjectiveRef('210', area('2', 9))).toBe('2.10');
  });
  it('reads a marker as the letter expected next only when it looks like it', async () => {
    const { letterLookalike } = await import('../pipeline/parse/context.js');
    expect(letterLookalike('h', 'b')).toBe('b');
    expect(letterLookalike('e', 'c')).toBe('c');
    expect(letterLookalike('l', 'i')).toBe('i');
    expect(letterLookalike('d', 'b')).toBeNull();
    expect(letterLookalike('b', 'b')).toBeNull();
    expect(letterLookalike('h', 'c')).toBeNull();
  });
});

describe('field-structured headings', () => {
  it('a heading that wraps goes on over lines whose sizes a scan read a few percent apart, and stops at body text', async () => {
    const { itemsOf } = await import('../pipeline/parse/profiles/fields.js');
    let top = 800;
    const line = (text: string, fontSize: number) => {
      top -= fontSize * 1.25;
      return { kind: 'line' as const, page: 3, top, line: { words: [], text, bbox: [40, top - fontSize, 540, top] as [number, number, number, number], angle: 0, fontSize } };
    };
    // 005's Recommendation 2 as the scan read it: 11.3, 11.0 and 10.8 pt lines of one heading, then 9 pt body text.
    const blocks = [line('Leaders should improve the timeliness', 11.3), line('of the identification of needs, so that needs are', 11.0), line('identified and met early.', 10.8), line('What we will do: Develop a toolkit', 9)];
    const items = itemsOf(blocks, 9, 1.15);
    expect(items[0]).toMatchObject({ kind: 'heading', text: 'Leaders should improve the timeliness of the identification of needs, so that needs are identified and met early.' });
    expect(items).toHaveLength(2);
    // A smaller heading under a larger one is a heading of its own.
    top = 800;
    expect(itemsOf([line('Recommendation 2', 14.3), line('Leaders should improve', 11.3)], 9, 1.15).map((i) => i.kind === 'heading' && i.text)).toEqual(['Recommendation 2', 'Leaders should improve']);
  });
});

describe('status words a scan misread', () => {
  it.each<[string, string | null]>([
    ['Contlete', 'blue'],
    ['Atrisk', 'red'],
    ['On tack', 'green'],
    ['Not stated', 'not-due'],
    ['Complete', 'blue'],
    ['At risk of delay', 'red'],
    ['Deleted', null],
    ['Ongoing', null],
    ['Cancelled', null],
    ['Autumn', null],
    ['JD', null],
    ['Completion of the audit is planned', null],
  ])('%s', async (text, value) => {
    const { ratingOfWords } = await import('../pipeline/parse/cells.js');
    expect(ratingOfWords(text)).toBe(value);
  });
});

describe('a line that ran on over a table\'s column borders', () => {
  const item = (str: string, x: number, width: number, y = 69.3) => ({ str, x, y, width, height: 8.4, fontName: 'ocr', fontSize: 8.4, angle: 0, transform: [8.4, 0, 0, 8.4, x, y], hasEOL: false });
  // Columns as 000.v2 page 2's: action 137-561, reference 563-627, a rating 629-685; the table ends at 801.
  const cells = [
    [137, 561],
    [563, 627],
    [629, 685],
    [687, 801],
  ].flatMap(([x0, x1]) => [{ bbox: [x0!, 60, x1!, 80] as [number, number, number, number] }, { bbox: [x0!, 80, x1!, 100] as [number, number, number, number] }]);
  const fill = async (items: ReturnType<typeof item>[]) => {
    const { wordsOf } = await import('../pipeline/layout/words.js');
    const { tableOf, fillTable } = await import('../pipeline/layout/table.js');
    const table = tableOf(1, cells, DEFAULT_LAYOUT_SETTINGS);
    const outside = fillTable(table, wordsOf(items as never), [], DEFAULT_LAYOUT_SETTINGS);
    return { text: (x: number, y: number) => table.cells.find((c) => c.bbox[0] <= x && c.bbox[2] >= x && c.bbox[1] <= y && c.bbox[3] >= y)!.text, outside: outside.map((w) => w.text) };
  };
  it('gives the line back to the cell it began in, and what ran past the table too', async () => {
    // The heading's words: the gap at each border (a ruling painted out) is wider than a word space.
    const words = [item('children,', 495.8, 36.7), item('young', 535, 25.4), item('people,', 564.5, 31.2), item('parents', 598.3, 31.7), item('and', 633.6, 15.8), item('carers,', 651.8, 28.8), item('to', 683.3, 8.2), item('ensure', 694.6, 29), item('equity', 726.5, 26.2), item('and', 755.5, 15.8), item('alignment', 774, 43), item('to', 819, 7.9), item('th', 830, 6.7)];
    const { text, outside } = await fill(words);
    expect(text(300, 70)).toBe('children, young people, parents and carers, to ensure equity and alignment to th');
    expect(text(600, 70)).toBe('');
    expect(outside).toEqual([]);
  });
  it('leaves each cell its own line where the next cell\'s text stays inside it', async () => {
    const { text, outside } = await fill([item('Establish', 490, 38), item('group', 531, 22), item('1.4.1', 565, 18), item('Note', 810, 18)]);
    expect(text(300, 70)).toBe('Establish group');
    expect(text(600, 70)).toBe('1.4.1');
    // Words beside the table that begin no line inside it stay outside.
    expect(outside).toEqual(['Note']);
  });
});
