/**
 * The body format of notices: a small Markdown subset, rendered to HTML by this code alone. Every
 * character of the source is escaped; the only markup that comes out is what this file writes
 * (p, br, h2-h4, ul/ol/li, blockquote, strong, em, code, a, img), and a link or image address is
 * kept only when it is http(s), mailto, or one of our own attachment downloads. So no script, event
 * handler, style or javascript: URL can come out, whatever is typed. The server stores the source
 * and sends the rendered HTML; the console's preview runs the same function.
 *
 *   # Heading / ## / ###      - item / * item      1. item      > quote
 *   **bold**  *italic*  `code`  [text](https://…)  ![photo](/api/v1/attachments/12)
 *   A blank line ends a paragraph; a single line break stays a line break.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const ATTACHMENT_URL = /^\/api\/v1\/attachments\/\d{1,10}$/;
const WEB_URL = /^https?:\/\/[^\s"'<>\\`]+$/i;
const MAIL_URL = /^mailto:[^\s"'<>\\`/:]+@[^\s"'<>\\`/:]+$/i;

/** Whether an address may be a link target: the web, e-mail, or our attachments. */
export function safeLinkUrl(url: string): boolean {
  return WEB_URL.test(url) || MAIL_URL.test(url) || ATTACHMENT_URL.test(url);
}
/** Images come only from our own attachments (never a tracking pixel or a remote host). */
export const safeImageUrl = (url: string): boolean => ATTACHMENT_URL.test(url);

type InlineRule = { re: RegExp; render: (m: RegExpExecArray) => string };

const INLINE: InlineRule[] = [
  {
    re: /!\[([^\]\n]{0,200})\]\(([^)\s]{1,2000})\)/,
    render: (m) => (safeImageUrl(m[2]!) ? `<img src="${escapeHtml(m[2]!)}" alt="${escapeHtml(m[1]!)}" loading="lazy">` : escapeHtml(m[0])),
  },
  {
    re: /\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)/,
    render: (m) => {
      const url = m[2]!;
      if (!safeLinkUrl(url)) return renderInline(m[1]!, false);
      const external = !url.startsWith('/');
      return `<a href="${escapeHtml(url)}"${external ? ' target="_blank" rel="noopener noreferrer nofollow"' : ''}>${renderInline(m[1]!, false)}</a>`;
    },
  },
  { re: /`([^`\n]{1,500})`/, render: (m) => `<code>${escapeHtml(m[1]!)}</code>` },
  { re: /\*\*(?=\S)([^\n]*?\S)\*\*/, render: (m) => `<strong>${renderInline(m[1]!, true)}</strong>` },
  { re: /\*(?=\S)([^*\n]*?\S)\*/, render: (m) => `<em>${renderInline(m[1]!, true)}</em>` },
];

/** One line's inline markup; `links` false inside a link's own text (no link in a link). */
function renderInline(text: string, links: boolean): string {
  let out = '';
  let rest = text;
  for (;;) {
    let best: { m: RegExpExecArray; rule: InlineRule } | null = null;
    for (const rule of INLINE) {
      if (!links && rule.re.source.startsWith('\\[')) continue;
      if (!links && rule.re.source.startsWith('!')) continue;
      const m = rule.re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) return out + escapeHtml(rest);
    out += escapeHtml(rest.slice(0, best.m.index)) + best.rule.render(best.m);
    rest = rest.slice(best.m.index + best.m[0].length);
  }
}

const inlineLines = (lines: string[]) => lines.map((l) => renderInline(l, true)).join('<br>');

/** Render the body's source to safe HTML. */
export function renderMarkup(source: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length + 1;
      out.push(`<h${level}>${renderInline(heading[2]!.trim(), true)}</h${level}>`);
      i++;
      continue;
    }
    const list = (re: RegExp, tag: 'ul' | 'ol') => {
      const items: string[] = [];
      while (i < lines.length && re.test(lines[i]!)) items.push(`<li>${renderInline(lines[i++]!.replace(re, '').trim(), true)}</li>`);
      out.push(`<${tag}>${items.join('')}</${tag}>`);
    };
    if (/^\s*[-*]\s+/.test(line)) {
      list(/^\s*[-*]\s+/, 'ul');
      continue;
    }
    if (/^\s*\d{1,3}[.、)]\s*/.test(line)) {
      list(/^\s*\d{1,3}[.、)]\s*/, 'ol');
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      out.push(`<blockquote>${inlineLines(quoted)}</blockquote>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !/^(#{1,3}\s|\s*[-*]\s+|\s*\d{1,3}[.、)]\s*|\s*>)/.test(lines[i]!)) para.push(lines[i++]!);
    if (!para.length) para.push(lines[i++]!);
    out.push(`<p>${inlineLines(para)}</p>`);
  }
  return out.join('\n');
}

/** The attachment ids a body shows as images or links: the server checks each belongs to the notice. */
export function attachmentIdsIn(source: string): number[] {
  return [...new Set([...source.matchAll(/\]\(\/api\/v1\/attachments\/(\d{1,10})\)/g)].map((m) => Number(m[1])))];
}
