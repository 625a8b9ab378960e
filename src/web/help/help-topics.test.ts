/**
 * Every screen has help: each route of app-routes.tsx has a topic, and each topic's page and
 * section anchor exist in docs/guide (so the "Trợ giúp" button never opens a missing page).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { GUIDE_PAGES } from '../../domain/help/guide-pages.ts';
import { ROLES } from '../../domain/policies/roles.ts';
import { allHelpTopics, HELP_TOPICS, helpTopicFor, mainRole, ROLE_GUIDE_PAGES } from './help-topics.ts';
import { anchorsOf, parseMarkdown } from './markdown.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const GUIDE = join(ROOT, 'docs/guide');

function appRoutePaths(): string[] {
  const src = readFileSync(join(ROOT, 'src/web/app-routes.tsx'), 'utf8');
  const paths = [...src.matchAll(/<Route\b[^>]*?\bpath="([^"]+)"/g)].map((m) => m[1]!).filter((p) => p !== '*');
  if (/<Route\s+index\b/.test(src)) paths.push('');
  return paths;
}

test('every route in app-routes.tsx has a help topic', () => {
  const paths = appRoutePaths();
  assert.ok(paths.length > 20, `found only ${paths.length} routes: the parser no longer matches app-routes.tsx`);
  const missing = paths.filter((p) => !(p in HELP_TOPICS));
  assert.deepEqual(missing, [], `routes without a help topic in src/web/help/help-topics.ts: ${missing.join(', ')}`);
});

test('every help topic names an existing guide page and section', () => {
  const problems: string[] = [];
  const anchors = new Map<string, string[]>();
  for (const { page, anchor } of allHelpTopics()) {
    const file = join(GUIDE, `${page}.md`);
    if (!existsSync(file)) {
      problems.push(`docs/guide/${page}.md is missing`);
      continue;
    }
    if (!anchors.has(page)) anchors.set(page, anchorsOf(parseMarkdown(readFileSync(file, 'utf8'))));
    if (anchor && !anchors.get(page)!.includes(anchor)) problems.push(`docs/guide/${page}.md has no <a id="${anchor}"></a>`);
  }
  assert.deepEqual([...new Set(problems)], []);
});

test('every role has its own guide page and the list of pages matches docs/guide', () => {
  for (const role of ROLES) assert.ok(ROLE_GUIDE_PAGES[role], `no guide page for role ${role} in ROLE_GUIDE_PAGES`);
  for (const page of GUIDE_PAGES) assert.ok(existsSync(join(GUIDE, `${page}.md`)), `docs/guide/${page}.md is missing`);
});

test('topic lookup: parameters, role-specific sections, unknown paths', () => {
  assert.deepEqual(helpTopicFor('/grade-sheets/3f0c/1', ['subject_teacher']), { page: 'giao-vien-bo-mon', anchor: 'nhap-diem' });
  assert.deepEqual(helpTopicFor('/grade-sheets/3f0c/1', ['principal']), { page: 'hieu-truong', anchor: 'duyet-sua-diem' });
  assert.deepEqual(helpTopicFor('/plan/board', ['principal']), { page: 'hieu-truong', anchor: 'tien-do' });
  assert.deepEqual(helpTopicFor('/signing', ['clerk']), { page: 'van-thu', anchor: 'dong-dau' });
  assert.deepEqual(helpTopicFor('/signing/', ['subject_teacher', 'homeroom_teacher']), { page: 'giao-vien-chu-nhiem', anchor: 'ky-hoc-ba' });
  assert.deepEqual(helpTopicFor('/', []), { page: 'README', anchor: 'vai-tro' });
  assert.deepEqual(helpTopicFor('/no/such/page', ['principal']), { page: 'README', anchor: null });
  assert.equal(mainRole(['subject_teacher', 'principal']), 'principal');
  assert.equal(mainRole([]), null);
});
