/**
 * A minimal, strict reader and writer of WeChat's XML (no XML library is a dependency, and WeChat's payloads are a flat
 * `<xml><Tag><![CDATA[…]]></Tag>…</xml>` with, for a few events, one or two levels of nesting).
 *
 * Strict on purpose: no DOCTYPE, no entities beyond the five predefined and numeric ones, no attributes, no mixed
 * content, no duplicate top-level fields; bounded in size, depth and element count. Anything else is malformed.
 */

export interface WechatXmlLimits {
  readonly maxBytes: number;
  readonly maxElements: number;
  readonly maxDepth: number;
  readonly maxValueLength: number;
}

export const DEFAULT_XML_LIMITS: WechatXmlLimits = { maxBytes: 64 * 1024, maxElements: 128, maxDepth: 4, maxValueLength: 16 * 1024 };

export class WechatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}/;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(raw: string): string {
  return raw.replace(/&([^;]{0,10});?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new WechatXmlError('an unterminated character reference');
    if (ENTITIES[name] !== undefined) return ENTITIES[name];
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (!numeric) throw new WechatXmlError(`an unknown entity &${name};`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new WechatXmlError('an invalid character reference');
    return String.fromCodePoint(code);
  });
}

/**
 * Parses WeChat's XML into its top-level fields. A nested element's text is kept under `Parent.Child` (first one wins,
 * e.g. `SendLocationInfo.Location_X`). Throws WechatXmlError for anything outside the strict subset.
 */
export function parseWechatXml(text: string, limits: WechatXmlLimits = DEFAULT_XML_LIMITS): Record<string, string> {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) throw new WechatXmlError(`the body is larger than ${limits.maxBytes} bytes`);
  let i = 0;
  let elements = 0;
  const fields: Record<string, string> = {};

  const skipWhitespace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (literal: string) => {
    if (!text.startsWith(literal, i)) throw new WechatXmlError(`expected ${literal} at ${i}`);
    i += literal.length;
  };
  const readName = (): string => {
    const match = NAME.exec(text.slice(i, i + 65));
    if (!match) throw new WechatXmlError(`expected a tag name at ${i}`);
    i += match[0].length;
    return match[0];
  };
  const readValue = (): string => {
    let value = '';
    for (;;) {
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) throw new WechatXmlError('an unterminated CDATA section');
        value += text.slice(i + 9, end);
        i = end + 3;
      } else if (i < text.length && text[i] !== '<') {
        const end = text.indexOf('<', i);
        if (end < 0) throw new WechatXmlError('an unterminated element');
        const raw = text.slice(i, end);
        if (raw.includes(']]>')) throw new WechatXmlError('a stray ]]> in text');
        value += decodeText(raw);
        i = end;
      } else break;
      if (value.length > limits.maxValueLength) throw new WechatXmlError(`a value is longer than ${limits.maxValueLength} characters`);
    }
    return value;
  };

  /** Reads `<Name>…</Name>` at i; records leaves under their dotted path. */
  const readElement = (path: string[], depth: number, siblings: Set<string>) => {
    if (depth > limits.maxDepth) throw new WechatXmlError(`elements nest deeper than ${limits.maxDepth}`);
    if (++elements > limits.maxElements) throw new WechatXmlError(`more than ${limits.maxElements} elements`);
    expect('<');
    const name = readName();
    if (text[i] === '/' && text[i + 1] === '>') {
      i += 2;
      record([...path, name], '', depth, siblings);
      return;
    }
    expect('>');
    const start = i;
    skipWhitespace();
    if (text.startsWith('<', i) && !text.startsWith('<![CDATA[', i) && !text.startsWith('</', i)) {
      // Child elements: only whitespace may separate them.
      const children = new Set<string>();
      while (text.startsWith('<', i) && !text.startsWith('</', i)) {
        readElement([...path, name], depth + 1, children);
        skipWhitespace();
      }
    } else {
      i = start;
      record([...path, name], readValue(), depth, siblings);
    }
    expect('</');
    if (readName() !== name) throw new WechatXmlError(`mismatched closing tag for ${name}`);
    skipWhitespace();
    expect('>');
  };

  const record = (path: string[], value: string, depth: number, siblings: Set<string>) => {
    const name = path.at(-1)!;
    if (depth === 1) {
      if (siblings.has(name)) throw new WechatXmlError(`a duplicate field ${name}`);
      siblings.add(name);
    }
    const key = path.slice(1).join('.');
    if (fields[key] === undefined) fields[key] = value;
  };

  // An optional XML declaration, then exactly one <xml> root.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  skipWhitespace();
  if (text.startsWith('<?xml', i)) {
    const end = text.indexOf('?>', i);
    if (end < 0 || end - i > 100) throw new WechatXmlError('a malformed XML declaration');
    i = end + 2;
    skipWhitespace();
  }
  expect('<xml>');
  const top = new Set<string>();
  skipWhitespace();
  while (text.startsWith('<', i) && !text.startsWith('</', i)) {
    readElement(['xml'], 1, top);
    skipWhitespace();
  }
  expect('</xml>');
  skipWhitespace();
  if (i !== text.length) throw new WechatXmlError('content after the root element');
  return fields;
}

/** Wraps a value in CDATA, splitting any `]]>` inside it so that the section cannot be closed early. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Cuts a text to at most `maxBytes` UTF-8 bytes on a code point boundary, marking the cut with an ellipsis. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let out = '';
  let bytes = Buffer.byteLength(ellipsis, 'utf8');
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes) break;
    out += ch;
    bytes += size;
  }
  return out + ellipsis;
}

/** The passive text reply (被动回复消息): to the sender, from the official account, within the 5-second window. */
export function passiveTextReply(input: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(input.toUser)}</ToUserName><FromUserName>${cdata(input.fromUser)}</FromUserName>` +
    `<CreateTime>${Math.floor(input.createTime)}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(input.content)}</Content></xml>`
  );
}
