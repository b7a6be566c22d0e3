// Verification of a signed pass in the browser, with no library and no network:
// "XC1:" + Base45 → zlib inflate (DecompressionStream) → CBOR COSE_Sign1 → ES256 check of the
// Sig_structure with WebCrypto and the published JWK keys → CWT claims, validity, revocation.
// The same rules as xuanchuan/passes/cose.py; the reasons are the same codes.

export const PREFIX = "XC1:";
const CLAIM_ISS = 1, CLAIM_EXP = 4, CLAIM_NBF = 5, CLAIM_IAT = 6, CLAIM_PASS = -70001;
const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

export function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    const digits = [...chunk].map((c) => {
      const value = B45.indexOf(c);
      if (value < 0) throw new Error("base45: bad character");
      return value;
    });
    const n = digits.reduce((sum, digit, k) => sum + digit * 45 ** k, 0);
    if (chunk.length === 3) {
      if (n > 0xffff) throw new Error("base45: overflow");
      out.push(n >> 8, n & 0xff);
    } else if (chunk.length === 2) {
      if (n > 0xff) throw new Error("base45: overflow");
      out.push(n);
    } else {
      throw new Error("base45: dangling character");
    }
  }
  return new Uint8Array(out);
}

export async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class Tagged {
  constructor(tag, value) { this.tag = tag; this.value = value; }
}

// A minimal CBOR decoder (RFC 8949): integers, byte and text strings, arrays, maps (as Map),
// tags, false/true/null/undefined and floats; definite lengths only (COSE uses no others).
export function cborDecode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n) => { if (pos + n > bytes.length) throw new Error("cbor: truncated"); };
  function length(info) {
    if (info < 24) return info;
    if (info === 24) { need(1); return view.getUint8(pos++); }
    if (info === 25) { need(2); const v = view.getUint16(pos); pos += 2; return v; }
    if (info === 26) { need(4); const v = view.getUint32(pos); pos += 4; return v; }
    if (info === 27) { need(8); const v = Number(view.getBigUint64(pos)); pos += 8; return v; }
    throw new Error("cbor: indefinite lengths are not used by COSE");
  }
  function item() {
    need(1);
    const first = view.getUint8(pos++);
    const major = first >> 5, info = first & 31;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 23) return undefined;
      if (info === 25) { need(2); pos += 2; return view.getUint16(pos - 2); }
      if (info === 26) { need(4); pos += 4; return view.getFloat32(pos - 4); }
      if (info === 27) { need(8); pos += 8; return view.getFloat64(pos - 8); }
      throw new Error("cbor: unsupported simple value");
    }
    const n = length(info);
    switch (major) {
      case 0: return n;
      case 1: return -1 - n;
      case 2: { need(n); const out = bytes.slice(pos, pos + n); pos += n; return out; }
      case 3: { need(n); const out = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(pos, pos + n)); pos += n; return out; }
      case 4: { const out = []; for (let i = 0; i < n; i++) out.push(item()); return out; }
      case 5: { const out = new Map(); for (let i = 0; i < n; i++) { const key = item(); out.set(key, item()); } return out; }
      case 6: return new Tagged(n, item());
      default: throw new Error("cbor: bad major type");
    }
  }
  const value = item();
  if (pos !== bytes.length) throw new Error("cbor: trailing bytes");
  return value;
}

function bstrHeader(n) {
  if (n < 24) return [0x40 | n];
  if (n < 256) return [0x58, n];
  if (n < 65536) return [0x59, n >> 8, n & 0xff];
  return [0x5a, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

// Sig_structure = ["Signature1", protected, external_aad = h'', payload] (RFC 9052 §4.4).
export function sigStructure(protectedBytes, payload) {
  const context = new TextEncoder().encode("Signature1");
  return new Uint8Array([
    0x84, 0x60 | context.length, ...context,
    ...bstrHeader(protectedBytes.length), ...protectedBytes,
    0x40,
    ...bstrHeader(payload.length), ...payload,
  ]);
}

export function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

export async function decodePass(text) {
  text = (text || "").trim();
  if (!text.startsWith(PREFIX)) throw new Error("prefix");
  let message = cborDecode(await inflate(base45Decode(text.slice(PREFIX.length))));
  if (message instanceof Tagged) {
    if (message.tag !== 18) throw new Error("not COSE_Sign1");
    message = message.value;
  }
  if (!Array.isArray(message) || message.length !== 4) throw new Error("COSE_Sign1 shape");
  const [protectedBytes, , payload, signature] = message;
  const header = cborDecode(protectedBytes);
  if (header.get(1) !== -7) throw new Error("alg");
  const claims = cborDecode(payload);
  if (!(claims instanceof Map) || !claims.has(CLAIM_PASS)) throw new Error("claims");
  return { protectedBytes, payload, signature, kid: toBase64(header.get(4)), claims };
}

function passClaims(claims) {
  const data = claims.get(CLAIM_PASS);
  return {
    passId: String(data.get("pid")),
    household: String(data.get("hh")),
    communityCode: String(data.get("cc")),
    communityName: String(data.get("cn")),
    maskedName: String(data.get("nm")),
    outingIntervalDays: Number(data.get("ivl") || 0),
    issuer: String(claims.get(CLAIM_ISS)),
    issuedAt: Number(claims.get(CLAIM_IAT)),
    notBefore: Number(claims.get(CLAIM_NBF) ?? claims.get(CLAIM_IAT)),
    expiresAt: Number(claims.get(CLAIM_EXP)),
  };
}

async function importJwk(jwk) {
  return crypto.subtle.importKey(
    "jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true },
    { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"],
  );
}

// keySet: the JSON of /api/passes/keys; revoked: a Set of pass numbers; now: epoch seconds.
export async function verifyPass(text, keySet, revoked, now) {
  let parts;
  try {
    parts = await decodePass(text);
  } catch (error) {
    return { reason: "malformed", kid: "", claims: null };
  }
  const jwk = (keySet?.keys || []).find((key) => key.kid === parts.kid);
  if (!jwk) return { reason: "unknown_key", kid: parts.kid, claims: null };
  let ok = false;
  if (parts.signature instanceof Uint8Array && parts.signature.length === 64) {
    const key = await importJwk(jwk);
    ok = await crypto.subtle.verify(
      { name: "ECDSA", hash: "SHA-256" }, key, parts.signature, sigStructure(parts.protectedBytes, parts.payload),
    );
  }
  if (!ok) return { reason: "bad_signature", kid: parts.kid, claims: null };
  let claims;
  try {
    claims = passClaims(parts.claims);
  } catch (error) {
    return { reason: "malformed", kid: parts.kid, claims: null };
  }
  let reason = "valid";
  if (jwk.retires_at && now >= jwk.retires_at) reason = "key_retired";
  else if (revoked && revoked.has(claims.passId)) reason = "revoked";
  else if (now < claims.notBefore) reason = "not_yet_valid";
  else if (now >= claims.expiresAt) reason = "expired";
  return { reason, kid: parts.kid, claims };
}

export const LABELS = {
  valid: "有效，准予通行",
  malformed: "无法识别的通行码",
  bad_signature: "签名无效：通行证被伪造或篡改",
  unknown_key: "签发密钥未知：非本区签发",
  key_retired: "签发密钥已停用，请重新申领",
  not_yet_valid: "通行证尚未生效",
  expired: "通行证已过期",
  revoked: "通行证已被撤销",
  unknown_pass: "系统中没有这张通行证",
  over_used: "超出外出次数限制",
};
