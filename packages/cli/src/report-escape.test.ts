import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeText, jsonForScript, xmlSafe } from './report-escape.js';

describe('report escaping', () => {
  it('escapes markup in text and attributes, keeping newlines in attributes as references', () => {
    expect(escapeText('<a href="x">&</a>')).toBe('&lt;a href="x"&gt;&amp;&lt;/a&gt;');
    expect(escapeAttr(`"it's"\n\tnext\r`)).toBe('&quot;it&#39;s&quot;&#10;&#9;next&#13;');
  });

  it('spells out what XML 1.0 cannot hold: C0 controls, U+FFFE/FFFF, lone surrogates', () => {
    expect(xmlSafe('a\u0000b\u0001c\u001bd\u007f\tok\n')).toBe('a\\u0000b\\u0001c\\u001bd\u007f\tok\n');
    expect(xmlSafe('\ufffe\uffff')).toBe('\\ufffe\\uffff');
    expect(xmlSafe('pair 😀 lone \ud83d end \ude00')).toBe('pair 😀 lone \\ud83d end \\ude00');
  });

  it('keeps JSON in a script element from closing it', () => {
    const text = jsonForScript({ s: '</script><!-- & \u2028' });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual({ s: '</script><!-- & \u2028' });
  });
});
