// mailsplit ships no types; only the splitter is used (core/mime/ingest.ts).
declare module 'mailsplit' {
  import { Transform } from 'node:stream';
  export class Splitter extends Transform {
    constructor(options?: { ignoreEmbedded?: boolean; maxHeadSize?: number });
  }
}
