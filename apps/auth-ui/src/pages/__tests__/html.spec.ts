import { escapeHtml, html } from '../html';

describe('html template', () => {
  it('escapes every interpolated value unless it is already safe HTML', () => {
    const name = `"><script>alert('x')</script>`;
    const out = html`<input value="${name}">${html`<b>${'&'}</b>`}`.toString();
    expect(out).toBe('<input value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"><b>&amp;</b>');
    expect(escapeHtml('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&#39;');
  });

  it('drops null, undefined and false; joins arrays', () => {
    expect(html`${null}${undefined}${false}${['a', html`<i>b</i>`]}${0}`.toString()).toBe('a<i>b</i>0');
  });
});
