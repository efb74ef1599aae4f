import { z } from "zod";

/** Razorpay QR code entity (the fields Katha reads). */
export const RazorpayQrSchema = z.object({
  id: z.string().min(1),
  entity: z.literal("qr_code"),
  status: z.enum(["active", "closed"]),
  payment_amount: z.number().int().positive(),
  close_by: z.number().int().positive(),
  image_url: z.string().optional(),
  image_content: z.string().optional(),
  notes: z.record(z.string(), z.string()).or(z.array(z.never())).optional(),
});
export type RazorpayQr = z.infer<typeof RazorpayQrSchema>;

const PaymentEntity = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
  created_at: z.number().int(),
  error_description: z.string().nullable().optional(),
  /** Razorpay sends `[]` when empty. QR payments carry the QR's notes (our payment_id). */
  notes: z.union([z.record(z.string(), z.string()), z.array(z.unknown())]).optional(),
});

/** The webhook envelope, for the events Katha acts on; anything else is acknowledged and ignored. */
export const RazorpayWebhookSchema = z.object({
  entity: z.literal("event"),
  event: z.string(),
  created_at: z.number().int(),
  payload: z.object({
    payment: z.object({ entity: PaymentEntity }).optional(),
    qr_code: z
      .object({
        entity: z.object({
          id: z.string(),
          status: z.string().optional(),
          close_reason: z.string().nullable().optional(),
        }),
      })
      .optional(),
  }),
});
export type RazorpayWebhook = z.infer<typeof RazorpayWebhookSchema>;

/** `GET /v1/payments` page. */
export const RazorpayPaymentListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      amount: z.number().int(),
      currency: z.string(),
      status: z.string(),
      created_at: z.number().int(),
    }),
  ),
});
