// keep rooms: the rooms the user knows, '*' marking those with new messages (LKRA).
import { roomsJson, roomsText } from '../output/format.ts';
import type { SubCommand } from './types.ts';

export const rooms: SubCommand = {
  usage: 'keep rooms [--json]',
  summary: 'list known rooms (* = new messages)',
  async run(ctx) {
    const list = await (await ctx.session()).knownRooms();
    ctx.print(ctx.isJson ? `${JSON.stringify(roomsJson(list))}\n` : roomsText(list));
  },
};
