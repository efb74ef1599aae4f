import { describe, expect, it } from "vitest";
import { PspError, razorpayAdapter } from "../../workers/payments/psp.js";

/** The QR entity as Razorpay documents it (api/qr-codes/create), trimmed. */
const documentedQr = {
  id: "qr_HMsVL8HOpbMcjU",
  entity: "qr_code",
  created_at: 1623660301,
  name: "Katha",
  usage: "single_use",
  type: "upi_qr",
  image_url: "https://rzp.io/i/BWcUVrLp",
  payment_amount: 4900,
  status: "active",
  description: "The Sun Temple of Konark",
  fixed_amount: true,
  payments_amount_received: 0,
  payments_count_received: 0,
  notes: { session_id: "s-1" },
  customer_id: null,
  close_by: 1796300400,
  image_content:
    "upi://pay?ver=01&mode=15&pa=rpy.qrkatha@icici&pn=Katha&tr=RZPHMsVL8HOpbMcjUqrv2&tn=Konark&am=49&cu=INR",
};

function stub(response: Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return response.clone();
  }) as typeof fetch;
  return { calls, fetchFn };
}

const keys = { RAZORPAY_KEY_ID: "rzp_test_abc", RAZORPAY_KEY_SECRET: "secret123" };

describe("Razorpay adapter (our side of the QR Codes API)", () => {
  it("creates a single-use fixed-amount UPI QR closing at the expiry, and uses Razorpay's close_by", async () => {
    const { calls, fetchFn } = stub(Response.json(documentedQr));
    const qr = await razorpayAdapter(keys, fetchFn).createQr({
      paymentId: "pmt_1",
      amountPaise: 4900,
      expiresAt: 1796300400_000 + 999,
      description: "The Sun Temple of Konark",
      notes: { session_id: "s-1" },
    });
    expect(qr).toEqual({
      providerRef: "qr_HMsVL8HOpbMcjU",
      upiUri: documentedQr.image_content,
      expiresAt: 1796300400_000,
    });
    expect(calls[0]?.url).toBe("https://api.razorpay.com/v1/payments/qr_codes");
    expect(new Headers(calls[0]?.init.headers).get("authorization")).toBe(`Basic ${btoa("rzp_test_abc:secret123")}`);
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({
      type: "upi_qr",
      name: "Katha",
      usage: "single_use",
      fixed_amount: true,
      payment_amount: 4900,
      description: "The Sun Temple of Konark",
      close_by: 1796300400,
      notes: { session_id: "s-1", payment_id: "pmt_1" },
    });
  });

  it("refuses a QR whose amount differs from the request, and reports API errors", async () => {
    const wrong = stub(Response.json({ ...documentedQr, payment_amount: 100 }));
    await expect(
      razorpayAdapter(keys, wrong.fetchFn).createQr({
        paymentId: "p",
        amountPaise: 4900,
        expiresAt: 1,
        description: "d",
        notes: {},
      }),
    ).rejects.toThrow(/amount differs/);
    const failing = stub(
      Response.json({ error: { code: "BAD_REQUEST_ERROR", description: "close_by too early" } }, { status: 400 }),
    );
    await expect(
      razorpayAdapter(keys, failing.fetchFn).createQr({
        paymentId: "p",
        amountPaise: 4900,
        expiresAt: 1,
        description: "d",
        notes: {},
      }),
    ).rejects.toBeInstanceOf(PspError);
  });

  it("closes a QR, treating already-closed as done", async () => {
    const ok = stub(Response.json({ ...documentedQr, status: "closed", close_reason: "on_demand" }));
    await razorpayAdapter(keys, ok.fetchFn).closeQr("qr_HMsVL8HOpbMcjU");
    expect(ok.calls[0]?.url).toBe("https://api.razorpay.com/v1/payments/qr_codes/qr_HMsVL8HOpbMcjU/close");
    const closed = stub(Response.json({ error: { description: "QR code is already closed" } }, { status: 400 }));
    await expect(razorpayAdapter(keys, closed.fetchFn).closeQr("qr_x")).resolves.toBeUndefined();
    const down = stub(new Response("bad gateway", { status: 502 }));
    await expect(razorpayAdapter(keys, down.fetchFn).closeQr("qr_x")).rejects.toBeInstanceOf(PspError);
  });
});
