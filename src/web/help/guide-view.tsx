/** One guide page fetched from /api/guide/:page, rendered, and scrolled to the wanted section. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Spin } from 'antd';
import type { GuidePage } from '../../domain/help/guide-pages.ts';
import { useLocale } from '../i18n/locale-context.tsx';
import { parseMarkdown } from './markdown.ts';
import { MarkdownView } from './markdown-view.tsx';

interface GuideViewProps {
  page: GuidePage;
  anchor: string | null;
  onApp: (path: string) => void;
  onGuide: (page: GuidePage, anchor: string | null) => void;
}

type Loaded = { page: GuidePage; text: string | null; status: number };

export function GuideView({ page, anchor, onApp, onGuide }: GuideViewProps) {
  const { t } = useLocale();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    fetch(`/api/guide/${page}`, { headers: { accept: 'text/markdown' }, credentials: 'same-origin' })
      .then(async (res) => {
        const text = res.ok ? await res.text() : null;
        if (live) setLoaded({ page, text, status: res.status });
      })
      .catch(() => live && setLoaded({ page, text: null, status: 0 }));
    return () => {
      live = false;
    };
  }, [page]);

  const blocks = useMemo(() => (loaded?.text ? parseMarkdown(loaded.text) : []), [loaded]);
  const ready = loaded?.page === page;

  useEffect(() => {
    const el = box.current;
    if (!ready || !el) return;
    const scroll = () => {
      // Anchor ids are checked ASCII kebab-case (markdown.ts), so they are safe inside a selector.
      const target = anchor ? el.querySelector(`[data-anchor="${anchor}"]`) : null;
      if (target) target.scrollIntoView({ block: 'start' });
      else el.scrollIntoView?.({ block: 'start' });
    };
    scroll();
    // A picture above the section that is taller than the space kept for it moves the section
    // when it loads: follow the section until the reader scrolls by themself.
    let follow = true;
    const stop = () => {
      follow = false;
    };
    const onLoad = () => {
      if (follow) scroll();
    };
    const pending = [...el.querySelectorAll('img')].filter((img) => !img.complete);
    for (const img of pending) img.addEventListener('load', onLoad);
    window.addEventListener('wheel', stop, { passive: true });
    window.addEventListener('touchmove', stop, { passive: true });
    window.addEventListener('keydown', stop);
    return () => {
      for (const img of pending) img.removeEventListener('load', onLoad);
      window.removeEventListener('wheel', stop);
      window.removeEventListener('touchmove', stop);
      window.removeEventListener('keydown', stop);
    };
  }, [ready, anchor, blocks]);

  if (!ready) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (loaded.text === null) {
    return (
      <Alert
        type="info"
        showIcon
        data-testid="guide-missing"
        title={loaded.status === 404 ? t('help.pageMissing') : t('common.networkError')}
      />
    );
  }
  return (
    <div ref={box} data-testid="guide-view" data-page={page} data-anchor={anchor ?? ''}>
      <MarkdownView blocks={blocks} page={page} onApp={onApp} onGuide={onGuide} />
    </div>
  );
}
