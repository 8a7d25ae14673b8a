import { acceptedLanguages, negotiateLocale, translator } from '../locale';
import { en, LOCALES, MessageKey } from '../messages';

describe('locale negotiation', () => {
  it('prefers the explicit locale, then Accept-Language by q, then English', () => {
    expect(negotiateLocale(['de-DE'], 'fr')).toBe('de');
    expect(negotiateLocale(['xx', 'es'], 'fr')).toBe('es');
    expect(negotiateLocale([], 'it;q=1, fr-CH;q=0.8, de;q=0.9')).toBe('de');
    expect(negotiateLocale([], 'ja, zh')).toBe('en');
    expect(negotiateLocale([], undefined)).toBe('en');
  });

  it('parses Accept-Language defensively', () => {
    expect(acceptedLanguages('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual(['fr-CH', 'fr', 'en', 'de']);
    expect(acceptedLanguages('en;q=0, de')).toEqual(['de']);
    expect(acceptedLanguages('<script>, es')).toEqual(['es']);
  });

  it('every locale translates every key, with the same placeholders', () => {
    for (const [locale, messages] of Object.entries(LOCALES)) {
      for (const key of Object.keys(en) as MessageKey[]) {
        expect({ locale, key, empty: messages[key].trim() === '' }).toEqual({ locale, key, empty: false });
        expect(messages[key].match(/\{\w+\}/g) ?? []).toEqual(en[key].match(/\{\w+\}/g) ?? []);
      }
    }
  });

  it('fills placeholders', () => {
    expect(translator('fr')('signIn.to', { client: 'WWE' })).toBe('pour continuer vers WWE');
  });
});
