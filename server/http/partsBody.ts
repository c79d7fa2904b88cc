/**
 * A searchset's body made of its result's parts (a week of slots as its days, storage/searchCache.ts):
 * each part's entries are written once while that part is kept, as JSON and as raw deflate, so after
 * a booking changed one day the week's answer costs one day's writing, not seven. Under the mixed
 * load that rewriting (JSON, its bytes, gzip) was a tenth of the request thread.
 *
 * The bytes are exactly JSON.stringify of the whole Bundle, whose last member is `entry`. The gzip is
 * one member (RFC 1952) whose deflate stream is the pieces' streams in turn: each piece is deflated
 * on its own and ends with a sync flush (a byte boundary, no back-reference into another piece), and
 * the last ends the stream.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import type { SearchResult } from '../storage/searchSpec';
import { MadeOnce } from './madeOnce';

/** The fastest level, as for a whole body (searchEtag.ts). */
const LEVEL = 1;
/** A gzip member's header: deflate, no flags, no time, no extra flags, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);

interface WrittenPart {
  /** The part's entries as JSON, joined by commas, without brackets. */
  json: Buffer;
  deflated?: Buffer;
}

/** What each part was written as, by the way it was written (at most 4 ways: base URL and `_elements`). */
const written = new MadeOnce<WrittenPart>(4);

const deflatedPiece = (bytes: Buffer) => deflateRawSync(bytes, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
const COMMA = Buffer.from(',');
const DEFLATED_COMMA = deflatedPiece(COMMA);
const TAIL = Buffer.from(']}');
/** The tail, and the end of the stream. */
const DEFLATED_TAIL = deflateRawSync(TAIL, { level: LEVEL });
/** The most a stored block holds (RFC 1951 3.2.4). */
const MOST_STORED = 65_535;

/**
 * Bytes as they are, in stored blocks (RFC 1951 3.2.4: a header byte on the byte boundary a sync flush
 * leaves, then the length and its complement): the envelope is a few hundred bytes and new each time,
 * not worth starting a compressor for.
 */
function stored(bytes: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += MOST_STORED) {
    const block = bytes.subarray(at, at + MOST_STORED);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(block.length, 1);
    header.writeUInt16LE(~block.length & 0xffff, 3);
    blocks.push(header, block);
  }
  return Buffer.concat(blocks);
}

function writtenPart(
  part: SearchResult<Resource>,
  way: string,
  entriesOf: (part: SearchResult<Resource>) => BundleEntry[],
): WrittenPart {
  // An array's JSON is its members' joined by commas: the brackets off, one call rather than one per entry.
  return written.get(part, way, () => ({ json: Buffer.from(JSON.stringify(entriesOf(part)).slice(1, -1)) }));
}

export interface PartsBody {
  body: Buffer;
  /** The body gzipped, from the parts' kept deflate. */
  gzip: () => Buffer;
}

/** Parts of a week written whole once: should it be written again, it is by its parts. */
const writtenWhole = new WeakSet<object>();

/**
 * The Bundle of `envelope` (everything but `entry`) whose entries are the parts' in turn; `way` names
 * everything `entriesOf` depends on besides the part. Undefined the first time a week's parts are seen:
 * a week searched once (most of them, on a large store) is cheaper written whole, and only one
 * written again gains from keeping its days.
 */
export function partsBody(
  envelope: Bundle,
  parts: Array<SearchResult<Resource>>,
  way: string,
  entriesOf: (part: SearchResult<Resource>) => BundleEntry[],
): PartsBody | undefined {
  const filled = parts.filter((part) => part.matches.length > 0);
  if (filled.length > 0 && !filled.some((part) => writtenWhole.has(part) || written.has(part, way))) {
    for (const part of filled) writtenWhole.add(part);
    return undefined;
  }
  const opened = JSON.stringify(envelope);
  const head = Buffer.from(`${opened.slice(0, -1)},"entry":[`);
  const pieces = filled.map((part) => writtenPart(part, way, entriesOf));
  const body = Buffer.concat([
    head,
    ...pieces.flatMap((piece, index) => (index === 0 ? [piece.json] : [COMMA, piece.json])),
    TAIL,
  ]);
  const gzip = () => {
    const stream = [
      stored(head),
      ...pieces.flatMap((piece, index) => {
        piece.deflated ??= deflatedPiece(piece.json);
        return index === 0 ? [piece.deflated] : [DEFLATED_COMMA, piece.deflated];
      }),
      DEFLATED_TAIL,
    ];
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(body), 0);
    trailer.writeUInt32LE(body.length % 2 ** 32, 4);
    return Buffer.concat([GZIP_HEADER, ...stream, trailer]);
  };
  return { body, gzip };
}
