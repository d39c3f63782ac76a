import { expect } from 'chai';
import { checkImage, sniffImage } from '../../src/domain/photo/image-check';

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const segment = (marker: number, body: Buffer) =>
  Buffer.concat([Buffer.from([0xff, marker]), u16(body.length + 2), body]);
const GPS = Buffer.from('Exif\0\0MM GPSLatitude 37.5665 GPSLongitude 126.9780', 'latin1');

/** A JPEG as a phone writes one: APP0, an APP1 EXIF block with a GPS position, the frame header, the scan. */
function jpegWithGps(width: number, height: number): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xe1, GPS),
    segment(
      0xc0,
      Buffer.concat([Buffer.from([8]), u16(height), u16(width), Buffer.from([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])]),
    ),
    segment(0xda, Buffer.from([3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
  ]);
}
const chunk = (type: string, body: Buffer) =>
  Buffer.concat([u32(body.length), Buffer.from(type, 'latin1'), body, u32(0)]);
function pngWithExif(width: number, height: number): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.concat([u32(width), u32(height), Buffer.from([8, 2, 0, 0, 0])])),
    chunk('eXIf', GPS),
    chunk('tEXt', Buffer.from('Comment\0GPS 37.5665,126.9780', 'latin1')),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('photo checks: type by content, size, pixels, metadata out', () => {
  it("reads a JPEG's size and takes its EXIF (with the GPS position) out", () => {
    const r = checkImage(jpegWithGps(4032, 3024));
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.image).to.include({ kind: 'jpeg', contentType: 'image/jpeg', width: 4032, height: 3024 });
    expect(r.image.bytes.includes(Buffer.from('GPSLatitude'))).to.equal(false);
    expect(r.image.bytes.subarray(-5)).to.deep.equal(
      Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
      'the image data untouched',
    );
  });

  it("reads a PNG's size and takes its eXIf and text chunks out", () => {
    const r = checkImage(pngWithExif(800, 600));
    expect(r.ok && r.image).to.include({ kind: 'png', width: 800, height: 600 });
    if (r.ok) expect(r.image.bytes.includes(Buffer.from('GPS'))).to.equal(false);
  });

  it('refuses what is not an image, whatever it is called', () => {
    expect(checkImage(Buffer.from('<html><script>alert(1)</script></html>'))).to.deep.equal({
      ok: false,
      code: 'not_image',
    });
    expect(checkImage(Buffer.from('%PDF-1.7 ...'))).to.deep.equal({ ok: false, code: 'not_image' });
    expect(sniffImage(Buffer.from('GIF89a\x01\0\x01\0', 'latin1'))).to.equal('gif');
  });

  it('refuses a file over the size limit before reading it, and a decompression bomb by its header', () => {
    expect(checkImage(Buffer.alloc(10 * 1024 * 1024 + 1, 0xff))).to.deep.equal({ ok: false, code: 'too_large' });
    expect(checkImage(pngWithExif(50_000, 50_000))).to.deep.equal({ ok: false, code: 'too_many_pixels' });
    expect(checkImage(jpegWithGps(65_000, 65_000))).to.deep.equal({ ok: false, code: 'too_many_pixels' });
  });

  it('refuses a truncated image as unreadable', () => {
    const whole = jpegWithGps(100, 100);
    expect(checkImage(whole.subarray(0, 30))).to.deep.equal({ ok: false, code: 'unreadable' });
  });
});
