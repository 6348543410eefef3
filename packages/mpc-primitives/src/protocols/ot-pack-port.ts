/**
 * The OtPort of the real OT stack: KK13 1-out-of-N OT for the short-message OTs, IKNP
 * additively correlated OT over Z_2^ℓ, and — over a prime field, where the ring correlation
 * does not apply — chosen-message IKNP OT of (m0, m0 + Δ mod n) at bits(n) bits per message.
 * Both directions are set up once in an `OtPack`; vector correlated OT runs on its IKNP ends.
 */
import { type OtPack, vectorCotReceive, vectorCotSend } from '@secinfer/ot';
import { type Field, fieldAdd, fieldRandom } from '../field.js';
import { ring, ringFromUnsigned, ringToUnsigned } from '../ring.js';
import type { OtPort } from './ot-port.js';

/** This party's OtPort over its OtPack (reached through `partyContext`, with the pack's channel). */
export function otPortOf(pack: OtPack): OtPort {
  return {
    sendOneOfN: (messages, logN, bits) => pack.kkotSender.send(messages, logN, bits),
    receiveOneOfN: (choices, logN, bits) => pack.kkotReceiver.receive(choices, logN, bits),
    sendCorrelated: (deltas, ell) => pack.iknpSender.correlatedOt(deltas, ell, 'add'),
    receiveCorrelated: (choices, ell) => pack.iknpReceiver.correlatedOt(choices, ell, 'add'),
    async sendCorrelatedField(deltas: Float64Array, f: Field) {
      const r = ring(f.bits);
      const m0 = fieldRandom(f, deltas.length);
      await pack.iknpSender.chosenOt(
        ringFromUnsigned(r, m0),
        ringFromUnsigned(r, fieldAdd(f, m0, deltas)),
        f.bits,
      );
      return m0;
    },
    async receiveCorrelatedField(choices: Uint8Array, f: Field) {
      return ringToUnsigned(ring(f.bits), await pack.iknpReceiver.chosenOt(choices, f.bits));
    },
    sendVectorCorrelated: (deltas, rows, shape, output) =>
      vectorCotSend(pack.iknpSender, deltas, rows, shape, output),
    receiveVectorCorrelated: (choices, shape, output) =>
      vectorCotReceive(pack.iknpReceiver, choices, shape, output),
  };
}
