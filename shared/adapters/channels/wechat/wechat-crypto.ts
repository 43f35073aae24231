/**
 * WeChat's safe mode (安全模式) message encryption: AES-256-CBC with the 43-character EncodingAESKey (base64 of the
 * 32-byte key; the IV is its first 16 bytes), PKCS#7 padding to 32-byte blocks, and the plaintext framed as
 * random(16) ‖ length(4, big-endian) ‖ message ‖ appId. The msg_signature is the SHA1 of the sorted token, timestamp,
 * nonce and ciphertext, so that, unlike plain mode, the body itself is authenticated.
 *
 * Source: 消息加解密说明 and the official WXBizMsgCrypt samples (developers.weixin.qq.com/doc/offiaccount).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const BLOCK = 32;

export class WechatCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

export function wechatMessageSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join(''), 'utf8').digest('hex');
}

export class WechatMessageCrypto {
  private readonly key: Buffer;

  constructor(encodingAesKey: string, private readonly appId: string) {
    if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new Error('the EncodingAESKey must be 43 base64 characters');
    if (!appId) throw new Error('the app id must not be empty');
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
  }

  /** Encrypts a message (a reply) for WeChat; `random` is fixed only by tests. */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const plain = Buffer.concat([random, length, body, Buffer.from(this.appId, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /** Decrypts a message from WeChat; throws WechatCryptoError when it is not for this account or not well formed. */
  decrypt(encrypted: string): string {
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % 16 !== 0 || data.length > 96 * 1024) throw new WechatCryptoError('the ciphertext has an invalid length');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      throw new WechatCryptoError('the ciphertext does not decrypt');
    }
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WechatCryptoError('invalid padding');
    const unpadded = plain.subarray(0, plain.length - pad);
    if (unpadded.length < 20) throw new WechatCryptoError('the plaintext is too short');
    const length = unpadded.readUInt32BE(16);
    if (20 + length > unpadded.length) throw new WechatCryptoError('the message length is out of range');
    const appId = unpadded.subarray(20 + length).toString('utf8');
    if (appId !== this.appId) throw new WechatCryptoError('the message is for another app id');
    return unpadded.subarray(20, 20 + length).toString('utf8');
  }
}
