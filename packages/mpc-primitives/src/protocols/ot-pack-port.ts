/**
 * The OtPort of the real OT stack, on an `OtPack` set up once for both directions.
 *
 * IKNP mode: KK13 1-out-of-N OT for the short-message OTs, IKNP additively correlated OT over
 * Z_2^ℓ, and — over a prime field, where the ring correlation does not apply — chosen-message
 * IKNP OT of (m0, m0 + Δ mod n) at bits(n) bits per message; random bit OTs are the low bits
 * of IKNP random OTs.
 *
 * Silent mode: every one of those OTs is drawn from the pack's Ferret COTs instead, at
 * Cheetah's costs beyond the COTs themselves (~0.5 bit each): 1-out-of-N in N·ℓ + log2 N
 * bits, correlated OT of ℓ bits in ℓ + 1, chosen OT in 2ℓ + 1, random bit OT in nothing.
 *
 * Vector correlated OT (the OT linear layers') stays on IKNP in both modes: each of its OTs
 * carries k·w bits of corrections, which dwarf the 128-bit IKNP column a COT would save.
 */
import {
  type CotReceiver,
  type CotSender,
  cotChosenOtReceive,
  cotChosenOtSend,
  cotCorrelatedReceive,
  cotCorrelatedSend,
  cotOneOfNReceive,
  cotOneOfNSend,
  cotRandomBitOtReceive,
  cotRandomBitOtSend,
  type OtPack,
  vectorCotReceive,
  vectorCotSend,
} from '@secinfer/ot';
import { fieldAdd, fieldRandom } from '../field.js';
import { randomBits } from '../random.js';
import { ring, ringFromUnsigned, ringToUnsigned } from '../ring.js';
import { type OtPort, requireMessageBits } from './ot-port.js';

/** The low bit of every 16-byte pad. */
/** The low `bits` bits of each 16-byte pad (a random OT's message), a byte each. */
function lowBits(pads: Uint8Array, bits: number): Uint8Array {
  const mask = (1 << bits) - 1;
  const out = new Uint8Array(pads.length >>> 4);
  for (let j = 0; j < out.length; j++) out[j] = pads[16 * j]! & mask;
  return out;
}

/**
 * Correlated OT over a prime field from a chosen-message OT of ℓ-bit values: the sender
 * offers (m0, m0 + Δ mod n) at bits(n) bits, m0 uniform in Z_n.
 */
function fieldCorrelated(
  chosenSend: (m0: Uint32Array, m1: Uint32Array, ell: number) => Promise<void>,
  chosenReceive: (choices: Uint8Array, ell: number) => Promise<Uint32Array>,
): Pick<OtPort, 'sendCorrelatedField' | 'receiveCorrelatedField'> {
  return {
    async sendCorrelatedField(deltas, f) {
      const r = ring(f.bits);
      const m0 = fieldRandom(f, deltas.length);
      await chosenSend(
        ringFromUnsigned(r, m0),
        ringFromUnsigned(r, fieldAdd(f, m0, deltas)),
        f.bits,
      );
      return m0;
    },
    async receiveCorrelatedField(choices, f) {
      return ringToUnsigned(ring(f.bits), await chosenReceive(choices, f.bits));
    },
  };
}

/** This party's OtPort over its OtPack (reached through `partyContext`, with the pack's channel). */
export function otPortOf(pack: OtPack): OtPort {
  const vector = {
    sendVectorCorrelated: (deltas, rows, shape, output) =>
      vectorCotSend(pack.iknpSender, deltas, rows, shape, output),
    receiveVectorCorrelated: (choices, shape, output) =>
      vectorCotReceive(pack.iknpReceiver, choices, shape, output),
  } satisfies Partial<OtPort>;
  if (pack.ot === 'silent' && pack.cotSender && pack.cotReceiver)
    return { ...silentPort(pack.cotSender, pack.cotReceiver), ...vector };
  return {
    source: 'iknp',
    sendOneOfN: (messages, logN, bits) => pack.kkotSender.send(messages, logN, bits),
    receiveOneOfN: (choices, logN, bits) => pack.kkotReceiver.receive(choices, logN, bits),
    sendCorrelated: (deltas, ell) => pack.iknpSender.correlatedOt(deltas, ell, 'add'),
    receiveCorrelated: (choices, ell) => pack.iknpReceiver.correlatedOt(choices, ell, 'add'),
    ...fieldCorrelated(
      (m0, m1, ell) => pack.iknpSender.chosenOt(m0, m1, ell),
      (choices, ell) => pack.iknpReceiver.chosenOt(choices, ell),
    ),
    async sendRandomBits(n, bits = 1) {
      requireMessageBits(bits);
      const { m0, m1 } = await pack.iknpSender.randomOt(n);
      return { m0: lowBits(m0, bits), m1: lowBits(m1, bits) };
    },
    async receiveRandomBits(n, bits = 1) {
      requireMessageBits(bits);
      const choices = randomBits(n);
      return { choices, m: lowBits(await pack.iknpReceiver.randomOt(choices), bits) };
    },
    ...vector,
  };
}

/** Everything but vector COT on the pack's Ferret COTs. */
function silentPort(
  cotSender: CotSender,
  cotReceiver: CotReceiver,
): Omit<OtPort, 'sendVectorCorrelated' | 'receiveVectorCorrelated'> {
  return {
    source: 'silent',
    sendOneOfN: (messages, logN, bits) => cotOneOfNSend(cotSender, messages, logN, bits),
    receiveOneOfN: (choices, logN, bits) => cotOneOfNReceive(cotReceiver, choices, logN, bits),
    sendCorrelated: (deltas, ell) => cotCorrelatedSend(cotSender, deltas, ell),
    receiveCorrelated: (choices, ell) => cotCorrelatedReceive(cotReceiver, choices, ell),
    ...fieldCorrelated(
      (m0, m1, ell) => cotChosenOtSend(cotSender, m0, m1, ell),
      (choices, ell) => cotChosenOtReceive(cotReceiver, choices, ell),
    ),
    sendRandomBits: (n, bits) => cotRandomBitOtSend(cotSender, n, bits),
    receiveRandomBits: (n, bits) => cotRandomBitOtReceive(cotReceiver, n, bits),
  };
}
