import { describe, expect, it } from 'vitest';
import { attachmentIdsIn, renderMarkup } from './markup.js';

/**
 * Whatever comes out is only tags the renderer writes, each in its exact shape (text never holds a
 * raw < or >, so every < opens one of them): no other tag, attribute, handler or URL scheme.
 */
const TAG_SHAPES = [
  /^<\/?(p|br|h2|h3|h4|ul|ol|li|blockquote|strong|em|code)>$/,
  /^<a href="(https?:\/\/[^"<>\s]+|mailto:[^"<>\s]+|\/api\/v1\/attachments\/\d+)"( target="_blank" rel="noopener noreferrer nofollow")?>$/,
  /^<\/a>$/,
  /^<img src="\/api\/v1\/attachments\/\d+" alt="[^"<>]*" loading="lazy">$/,
];
function assertSafe(html: string) {
  const tags = html.match(/<[^>]*>?/g) ?? [];
  for (const tag of tags) expect(TAG_SHAPES.some((re) => re.test(tag)), `${tag} in ${html}`).toBe(true);
  expect(html.replace(/<[^>]*>/g, ''), html).not.toMatch(/[<>]/);
}

describe('notice body rendering', () => {
  it('renders the subset: headings, paragraphs with line breaks, lists, quotes, bold, italic, code, links, attachment images', () => {
    const html = renderMarkup(
      [
        '# 关于做好疫情防控的通知',
        '',
        '各单位：',
        '请**立即**落实，*不得*层层加码。',
        '',
        '- 测温',
        '- 戴口罩',
        '',
        '1. 第一条',
        '2、第二条',
        '',
        '> 落实不过夜',
        '',
        '详见 [卫健委](https://www.nhc.gov.cn/x?a=1&b=2) 与 `代码`，附件 ![图](/api/v1/attachments/12)',
      ].join('\n'),
    );
    expect(html).toBe(
      [
        '<h2>关于做好疫情防控的通知</h2>',
        '<p>各单位：<br>请<strong>立即</strong>落实，<em>不得</em>层层加码。</p>',
        '<ul><li>测温</li><li>戴口罩</li></ul>',
        '<ol><li>第一条</li><li>第二条</li></ol>',
        '<blockquote>落实不过夜</blockquote>',
        '<p>详见 <a href="https://www.nhc.gov.cn/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">卫健委</a> 与 <code>代码</code>，附件 <img src="/api/v1/attachments/12" alt="图" loading="lazy"></p>',
      ].join('\n'),
    );
    assertSafe(html);
  });

  it('never lets script, raw HTML, event handlers or javascript:/data: URLs out', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](java\tscript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '![x](https://evil.example/pixel.gif)',
      '![x](javascript:alert(1))',
      '![x" onerror="alert(1)](/api/v1/attachments/1)',
      '[a](https://ok.example/"onmouseover="alert(1))',
      '[a](https://ok.example/\'><script>alert(1)</script>)',
      '[a](//evil.example)',
      '[a](/api/v1/attachments/1/../../../admin)',
      '**<b onclick=alert(1)>x</b>**',
      '`</code><script>alert(1)</script>`',
      '# <svg onload=alert(1)>',
      '> <iframe src=javascript:alert(1)>',
      '[[x](https://a.example)](javascript:alert(1))',
      '<a href="javascript:alert(1)">x</a>',
      '[x](mailto:a@b.example?body=<script>)',
    ];
    for (const a of attacks) {
      const html = renderMarkup(a);
      assertSafe(html);
      expect(html, a).not.toMatch(/<script/i);
    }
    expect(renderMarkup('[click](javascript:void)')).toBe('<p>click</p>');
    expect(renderMarkup('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('survives any input without throwing, and what it writes stays safe', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const bits = ['<', '>', '"', "'", '[', ']', '(', ')', '!', '*', '`', '#', '-', '>', '\n', ' ', 'javascript:', 'https://x.example', '/api/v1/attachments/3', 'on', 'error=', 'a', '中'];
    for (let n = 0; n < 2000; n++) {
      const s = Array.from({ length: Math.floor(rnd() * 40) }, () => bits[Math.floor(rnd() * bits.length)]).join('');
      assertSafe(renderMarkup(s));
    }
  });

  it('finds the attachment ids a body refers to', () => {
    expect(attachmentIdsIn('![a](/api/v1/attachments/3) [b](/api/v1/attachments/4) ![c](/api/v1/attachments/3)')).toEqual([3, 4]);
  });
});
