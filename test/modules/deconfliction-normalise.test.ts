import { normaliseAddress, normaliseIdentifier, normalisePersonName, normalisePhone, normaliseRegistration } from '../../server/src/modules/deconfliction/normalise';

/** The normal forms identifiers are compared in (docs/domain.md, "Deconfliction"): pure functions, no database. */

const value = (n: { ok: boolean; value?: string; message?: string }) => (n.ok ? n.value : `invalid: ${n.message}`);

describe('normalising identifiers', () => {
  it('phone numbers: spaces and punctuation go, +44 and 0044 become 0', () => {
    for (const written of ['07700 900417', '07700-900-417', '(07700) 900417', '+44 7700 900417', '+44 (0)7700 900417', '0044 7700 900417', '+447700900417']) {
      expect({ written, value: value(normalisePhone(written)) }).toEqual({ written, value: '07700900417' });
    }
    expect(value(normalisePhone('01632 960123'))).toBe('01632960123');
    for (const bad of ['12345', '+1 202 555 0100', 'seven seven', '077009004171234']) expect(normalisePhone(bad).ok).toBe(false);
  });

  it('registrations: upper case, no spaces or dashes', () => {
    expect(value(normaliseRegistration('ab12 cde'))).toBe('AB12CDE');
    expect(value(normaliseRegistration(' AB12-CDE '))).toBe('AB12CDE');
    expect(normaliseRegistration('AB12 CDE!').ok).toBe(false);
    expect(normaliseRegistration('A').ok).toBe(false);
  });

  it('addresses: the postcode and the premises (first number, or a house name)', () => {
    expect(value(normaliseAddress('14 Mill Lane, Reading rg11aa'))).toBe('RG1 1AA 14');
    expect(value(normaliseAddress('14, Mill Lane Reading RG1 1AA'))).toBe('RG1 1AA 14');
    expect(value(normaliseAddress('14a Mill Lane, RG1 1AA'))).toBe('RG1 1AA 14A');
    expect(value(normaliseAddress('Rose Cottage, Hook Road, GU12 4XY'))).toBe('GU12 4XY ROSE');
    expect(normaliseAddress('14 Mill Lane, Reading').ok).toBe(false);
  });

  it('names: lower case, accents and punctuation gone, words sorted; at least two words', () => {
    expect(value(normalisePersonName('SMITH, John'))).toBe('john smith');
    expect(value(normalisePersonName('  John   Smith '))).toBe('john smith');
    expect(value(normalisePersonName("Zoë O'Hara-Lyle"))).toBe('oharalyle zoe');
    expect(normalisePersonName('Smith').ok).toBe(false);
  });

  it('each kind through one entry point, with a length limit', () => {
    expect(value(normaliseIdentifier('PHONE', '+44 7700 900417'))).toBe('07700900417');
    expect(value(normaliseIdentifier('VEHICLE', 'ab12 cde'))).toBe('AB12CDE');
    expect(normaliseIdentifier('ADDRESS', `${'x'.repeat(301)} RG1 1AA`).ok).toBe(false);
  });
});
