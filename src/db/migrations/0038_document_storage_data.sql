-- Content-addressed document storage (issue 12.1, docs/architecture.md "Storage").
-- document_blobs is school-owned and append-only; existing rows are converted here:
-- sealed PDFs move into document_blobs (record_pdfs keeps the digest), and each signature's
-- full document becomes a byte splice of the previous document. Every conversion is checked
-- byte for byte; a mismatch aborts the migration (nothing is lost: the transaction rolls back).
SELECT hocba_guard_school_table('document_blobs');
--> statement-breakpoint
REVOKE UPDATE, DELETE ON document_blobs FROM hocba_app;
--> statement-breakpoint
DO $$
DECLARE bad record;
BEGIN
  SELECT id, version_id INTO bad FROM record_pdfs WHERE pdf IS NOT NULL AND encode(sha256(pdf), 'hex') <> sha256 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'record_pdfs %: the sealed PDF of version % does not match its stored sha256; fix it before upgrading', bad.id, bad.version_id;
  END IF;
END
$$;
--> statement-breakpoint
INSERT INTO document_blobs (school_id, sha256, size, bytes, created_at)
SELECT DISTINCT ON (school_id, sha256) school_id, sha256, length(pdf), pdf, created_at
  FROM record_pdfs WHERE pdf IS NOT NULL ORDER BY school_id, sha256, created_at
ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE record_pdfs SET pdf = NULL WHERE pdf IS NOT NULL;
--> statement-breakpoint
ALTER TABLE record_pdfs ADD CONSTRAINT record_pdfs_blob_fk FOREIGN KEY (school_id, sha256) REFERENCES document_blobs (school_id, sha256);
--> statement-breakpoint
-- The shortest splice turning prev into next: the longest common prefix, then the longest
-- common suffix of what remains (binary searches over byte ranges, so compared in C), both
-- moved back to UTF-8 character boundaries so the inserted bytes are whole characters (text).
CREATE FUNCTION hocba_tmp_splice(prev bytea, next bytea, OUT at integer, OUT removed integer, OUT ins text)
  LANGUAGE plpgsql IMMUTABLE
  AS $$
DECLARE
  lp integer := length(prev);
  ln integer := length(next);
  lo integer;
  hi integer;
  mid integer;
  p integer;
BEGIN
  lo := 0; hi := least(lp, ln);
  WHILE lo < hi LOOP
    mid := (lo + hi + 1) / 2;
    IF substring(prev FROM 1 FOR mid) = substring(next FROM 1 FOR mid) THEN lo := mid; ELSE hi := mid - 1; END IF;
  END LOOP;
  p := lo;
  -- next[p] (0-based) must start a character: step back over continuation bytes.
  WHILE p > 0 AND p < ln AND (get_byte(next, p) & 192) = 128 LOOP p := p - 1; END LOOP;
  lo := 0; hi := least(lp, ln) - p;
  WHILE lo < hi LOOP
    mid := (lo + hi + 1) / 2;
    IF substring(prev FROM lp - mid + 1 FOR mid) = substring(next FROM ln - mid + 1 FOR mid) THEN lo := mid; ELSE hi := mid - 1; END IF;
  END LOOP;
  -- next[ln - lo] (the first byte of the common suffix) must start a character too.
  WHILE lo > 0 AND (get_byte(next, ln - lo) & 192) = 128 LOOP lo := lo - 1; END LOOP;
  at := p;
  removed := lp - p - lo;
  ins := convert_from(substring(next FROM p + 1 FOR ln - p - lo), 'UTF8');
  IF substring(prev FROM 1 FOR at) || convert_to(ins, 'UTF8') || substring(prev FROM at + removed + 1) <> next THEN
    RAISE EXCEPTION 'document storage: splice check failed';
  END IF;
END
$$;
--> statement-breakpoint
DO $$
DECLARE bad record;
BEGIN
  SELECT id, version_id, seq, signature_id INTO bad FROM record_signatures WHERE xml IS NOT NULL AND encode(sha256(convert_to(xml, 'UTF8')), 'hex') <> xml_sha256 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'record_signatures %: signature #% (%) of version %: its XML does not match its stored sha256; fix it before upgrading', bad.id, bad.seq, bad.signature_id, bad.version_id;
  END IF;
END
$$;
--> statement-breakpoint
UPDATE record_signatures s
   SET delta_at = (d.sp).at, delta_removed = (d.sp).removed, delta = (d.sp).ins, xml = NULL
  FROM (
    SELECT c.id, hocba_tmp_splice(convert_to(c.prev, 'UTF8'), convert_to(c.xml, 'UTF8')) AS sp
      FROM (
        SELECT r.id, r.xml, coalesce(lag(r.xml) OVER (PARTITION BY r.version_id ORDER BY r.seq), v.xml) AS prev
          FROM record_signatures r JOIN record_versions v ON v.id = r.version_id
         WHERE r.xml IS NOT NULL
      ) c
  ) d
 WHERE s.id = d.id;
--> statement-breakpoint
DROP FUNCTION hocba_tmp_splice(bytea, bytea);
