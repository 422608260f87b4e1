import type { ReactNode } from 'react';

/**
 * The rich text of native pages: a small Markdown (## titles, paragraphs, - lists, **bold**, *italic*,
 * [links](https://…)) turned into React elements — never into HTML, so a trainer's text cannot inject script.
 */
export function Markdown({ text }: { text: string }) {
  const blocks = text.replace(/\r\n/g, '\n').split(/\n{2,}/);
  return (
    <>
      {blocks.map((block, i) => {
        const lines = block.split('\n');
        if (lines.every((l) => /^\s*[-*] /.test(l))) {
          return (
            <ul key={i}>
              {lines.map((l, j) => (
                <li key={j}>{inline(l.replace(/^\s*[-*] /, ''))}</li>
              ))}
            </ul>
          );
        }
        const heading = /^(#{2,4}) (.*)$/.exec(block);
        if (heading) {
          const Tag = (['h2', 'h3', 'h4'] as const)[heading[1]!.length - 2]!;
          return <Tag key={i}>{inline(heading[2]!)}</Tag>;
        }
        return <p key={i}>{lines.flatMap((l, j) => (j === 0 ? [inline(l)] : [<br key={`b${j}`} />, inline(l)]))}</p>;
      })}
    </>
  );
}

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(<strong key={m.index}>{m[1]}</strong>);
    else if (m[2] !== undefined) out.push(<em key={m.index}>{m[2]}</em>);
    else
      out.push(
        <a key={m.index} href={m[4]} target="_blank" rel="noopener noreferrer">
          {m[3]}
        </a>,
      );
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
