// mailsplit ships no types; only the splitter is used (core/mime/ingest.ts).
declare module 'mailsplit' {
  import { Transform } from 'node:stream';
  export class Splitter extends Transform {
    constructor(options?: { ignoreEmbedded?: boolean; maxHeadSize?: number });
    /** 1: a boundary line, 2: the closing one, false: neither (internal, overridden in ingest) */
    compareBoundary(line: Buffer, startpos: number, boundary: Buffer): number | false;
  }
}
