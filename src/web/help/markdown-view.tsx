/**
 * Turns the guide's markdown tree (markdown.ts) into React elements. Only the elements below
 * are ever produced — text goes in as text, so nothing in a guide page can inject HTML.
 * App links navigate inside the app, guide links call `onGuide`, outside links open a new tab.
 */
import { Fragment, useState, type ReactNode } from 'react';
import { Typography } from 'antd';
import { imageUrl, resolveLink, type Block, type Inline } from './markdown.ts';
import type { GuidePage } from '../../domain/help/guide-pages.ts';

export interface MarkdownViewProps {
  blocks: Block[];
  page: GuidePage;
  /** An app path was clicked (e.g. navigate and close the help drawer). */
  onApp: (path: string) => void;
  /** A guide page / section was clicked. */
  onGuide: (page: GuidePage, anchor: string | null) => void;
}

const tableStyle = { borderCollapse: 'collapse' as const, margin: '8px 0 16px', width: '100%' };
const cellStyle = { border: '1px solid #e5e7eb', padding: '6px 10px', verticalAlign: 'top' as const };

/** A guide screenshot; one not generated yet shows its caption instead of a broken picture. */
function GuideImage({ src, alt }: { src: string; alt: string }) {
  const [broken, setBroken] = useState(false);
  if (broken) {
    return (
      <Typography.Text type="secondary" italic style={{ display: 'block', margin: '8px 0' }} data-testid="guide-image-missing">
        [{alt}]
      </Typography.Text>
    );
  }
  return (
    <img
      src={src}
      alt={alt}
      loading="lazy"
      className="hb-guide-image"
      onError={() => setBroken(true)}
      // Guide screenshots are 1280×800: reserve that shape before the picture arrives, so a
      // section scrolled to is not pushed down by the pictures above it as they load.
      style={{ width: '100%', maxWidth: 1280, height: 'auto', aspectRatio: 'auto 1280 / 800', border: '1px solid #e5e7eb', borderRadius: 6, margin: '8px 0', display: 'block' }}
    />
  );
}

export function MarkdownView({ blocks, page, onApp, onGuide }: MarkdownViewProps) {
  const inline = (nodes: Inline[]): ReactNode =>
    nodes.map((n, i) => {
      switch (n.t) {
        case 'text':
          return <Fragment key={i}>{n.v}</Fragment>;
        case 'code':
          return <Typography.Text key={i} code>{n.v}</Typography.Text>;
        case 'strong':
          return <strong key={i}>{inline(n.c)}</strong>;
        case 'em':
          return <em key={i}>{inline(n.c)}</em>;
        case 'image': {
          const src = imageUrl(n.src);
          return src ? <GuideImage key={i} src={src} alt={n.alt} /> : <Fragment key={i}>{n.alt}</Fragment>;
        }
        case 'link': {
          const target = resolveLink(n.href, page);
          if (!target) return <Fragment key={i}>{inline(n.c)}</Fragment>;
          if (target.kind === 'external') {
            return (
              <a key={i} href={target.url} target="_blank" rel="noopener noreferrer">
                {inline(n.c)}
              </a>
            );
          }
          const href = target.kind === 'app' ? target.path : target.anchor ? `/guide/${target.page}#${target.anchor}` : `/guide/${target.page}`;
          return (
            <a
              key={i}
              href={href}
              data-link-kind={target.kind}
              onClick={(e) => {
                if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // let the browser open a new tab
                e.preventDefault();
                if (target.kind === 'app') onApp(target.path);
                else onGuide(target.page, target.anchor);
              }}
            >
              {inline(n.c)}
            </a>
          );
        }
      }
    });

  const block = (b: Block, i: number, tight = false): ReactNode => {
    switch (b.t) {
      case 'anchor':
        // The page header is sticky: keep the section title below it when scrolled to.
        return <span key={i} data-anchor={b.id} id={`guide-${b.id}`} style={{ display: 'block', scrollMarginTop: 80 }} />;
      case 'heading':
        return (
          <Typography.Title key={i} level={Math.min(b.level, 5) as 1 | 2 | 3 | 4 | 5} style={{ marginTop: b.level === 1 ? 0 : 24 }}>
            {inline(b.c)}
          </Typography.Title>
        );
      case 'para':
        return tight ? <Fragment key={i}>{inline(b.c)}</Fragment> : <Typography.Paragraph key={i}>{inline(b.c)}</Typography.Paragraph>;
      case 'hr':
        return <hr key={i} style={{ border: 0, borderTop: '1px solid #e5e7eb', margin: '16px 0' }} />;
      case 'code':
        return (
          <pre key={i} style={{ background: '#f6f8fa', padding: 12, borderRadius: 6, overflowX: 'auto' }}>
            <code>{b.v}</code>
          </pre>
        );
      case 'quote':
        return (
          <blockquote key={i} style={{ margin: '8px 0 16px', padding: '8px 16px', borderInlineStart: '4px solid #91caff', background: '#f0f7ff' }}>
            {b.c.map((x, k) => block(x, k))}
          </blockquote>
        );
      case 'list': {
        const items = b.items.map((item, k) => <li key={k}>{item.map((x, m) => block(x, m, item.length === 1 || (m === 0 && x.t === 'para')))}</li>);
        return b.ordered ? (
          <ol key={i} start={b.start} style={{ paddingInlineStart: 24, marginBottom: 12 }}>
            {items}
          </ol>
        ) : (
          <ul key={i} style={{ paddingInlineStart: 24, marginBottom: 12 }}>
            {items}
          </ul>
        );
      }
      case 'table':
        return (
          <div key={i} style={{ overflowX: 'auto' }}>
            <table style={tableStyle}>
              <thead>
                <tr>
                  {b.head.map((h, k) => (
                    <th key={k} style={{ ...cellStyle, background: '#fafafa', textAlign: b.align[k] ?? 'left' }}>
                      {inline(h)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {b.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((c, k) => (
                      <td key={k} style={{ ...cellStyle, textAlign: b.align[k] ?? 'left' }}>
                        {inline(c)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
    }
  };

  return <div className="hb-guide">{blocks.map((b, i) => block(b, i))}</div>;
}
