// Holding a stream's input without fighting its owner over pause() (issue 16). smtp-server pipes
// the socket into its parser and ws reads it with 'data'; both pause and resume it for their own
// reasons (parser backpressure, the STARTTLS switch, a closing connection). The output guard
// must stop input too, and a plain resume() on its release would undo a pause the library still
// wants. So the library's calls are recorded as its wish, and a release restores that wish.
import type { Readable } from 'node:stream';

export interface InputHold {
  /** stop reading, whatever the owner says, until release() */
  hold(): void;
  /** let the owner's own last pause()/resume() decide again */
  release(): void;
  readonly isHeld: boolean;
}

export function holdable(stream: Readable): InputHold {
  const pause = stream.pause.bind(stream);
  const resume = stream.resume.bind(stream);
  let isHeld = false;
  // a stream nobody reads yet (readableFlowing null) must not be started by a release
  let ownerWantsFlow = stream.readableFlowing === true;
  stream.pause = () => {
    ownerWantsFlow = false;
    return pause();
  };
  stream.resume = () => {
    ownerWantsFlow = true;
    return isHeld ? stream : resume();
  };
  return {
    hold() {
      if (isHeld) return;
      isHeld = true;
      pause();
    },
    release() {
      if (!isHeld) return;
      isHeld = false;
      if (ownerWantsFlow && !stream.destroyed) resume();
    },
    get isHeld() {
      return isHeld;
    },
  };
}
