/** MAVLink's CRC-16/MCRF4XX (X.25), table driven. */
const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  TABLE[i] = crc;
}

/** CRC of bytes[start, end) followed by the message's CRC_EXTRA byte. */
export function mavlinkCrc(bytes: Uint8Array, start: number, end: number, crcExtra: number): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  crc = (crc >>> 8) ^ TABLE[(crc ^ crcExtra) & 0xff]!;
  return crc;
}
