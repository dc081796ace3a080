import { createRoute, z } from "@hono/zod-openapi";
import { AcceptInvitationInput, AcceptInvitationResult, Invitation, InvitationInput, ListQuery, pageOf } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { clientAddress } from "../http/client-address.js";
import {
  acceptInvitation,
  createInvitation,
  getInvitation,
  listInvitations,
  requireOwner,
  resendInvitation,
  revokeInvitation,
} from "../services/invitations.js";
import { deliverInvitation } from "../services/invitation-delivery.js";

const InvitationParam = CompanyParam.extend({ invitationId: z.string().max(64) });
const gone = { description: "The invitation was used, revoked or has expired", content: problemResponses[404].content };

const DELIVERY =
  "The e-mail is sent before the answer: `deliveryStatus` is `sent`, or `retrying` with `deliveryError` (attempts continue after 1 min, 5 min, 15 min, 1 h and 4 h), or finally `failed`.";

export function invitationRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invitations",
      tags: ["Access"],
      summary: "Invitations sent to accountants, newest first (owners)",
      security: bearerAuth,
      request: { params: CompanyParam, query: ListQuery },
      responses: { 200: jsonResponse(pageOf(Invitation), "A page of invitations"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      requireOwner(access(c, deps, companyId, "owner", "read").role);
      const q = c.req.valid("query");
      return c.json(listInvitations(deps.db, companyId, deps.clock.now(), { limit: q.limit ?? 100, cursor: q.cursor }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/invitations",
      tags: ["Access"],
      summary: "Invite an accountant by e-mail (owners)",
      description: `The link is single-use, bound to this e-mail and valid ${deps.config.invitationTtlHours} hours. An e-mail that already has access, or a pending invitation, answers 409. ${DELIVERY}`,
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(InvitationInput) },
      responses: { 201: jsonResponse(Invitation, "The invitation"), ...problemResponses },
    }),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      const { id, token } = createInvitation(useCase(deps, a), companyId, c.req.valid("json").email);
      await deliverInvitation(deps, id, token);
      return c.json(getInvitation(deps.db, companyId, id, deps.clock.now()), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/invitations/{invitationId}/resend",
      tags: ["Access"],
      summary: "Send the invitation again with a new link and a new expiry; the previous link stops working",
      description: DELIVERY,
      security: bearerAuth,
      request: { params: InvitationParam },
      responses: { 200: jsonResponse(Invitation, "The invitation"), ...problemResponses },
    }),
    async (c) => {
      const { companyId, invitationId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      const { token } = resendInvitation(useCase(deps, a), companyId, invitationId);
      await deliverInvitation(deps, invitationId, token);
      return c.json(getInvitation(deps.db, companyId, invitationId, deps.clock.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/invitations/{invitationId}",
      tags: ["Access"],
      summary: "Revoke a pending invitation; its link stops working",
      security: bearerAuth,
      request: { params: InvitationParam },
      responses: { 204: { description: "Revoked" }, ...problemResponses },
    }),
    (c) => {
      const { companyId, invitationId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      revokeInvitation(useCase(deps, a), companyId, invitationId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/invitations/accept",
      tags: ["Access"],
      summary: "Accept an invitation: create the account (name, password) or sign in (password), then join the company",
      description:
        "The e-mail is the invited one. Signed in already as that user (Bearer session), no password is needed. Answers a session token. Unknown tokens answer 404; used, revoked or expired ones 410. Attempts are rate-limited (429 with Retry-After).",
      request: jsonBody(AcceptInvitationInput),
      responses: {
        200: jsonResponse(AcceptInvitationResult, "Accepted; `token` is a session token"),
        401: problemResponses[401],
        403: problemResponses[403],
        404: problemResponses[404],
        409: problemResponses[409],
        410: gone,
        422: problemResponses[422],
        429: { description: "Too many attempts", content: problemResponses[401].content },
        503: { description: "Too many passwords being checked at once; `Retry-After` says when to try again", content: problemResponses[401].content },
      },
    }),
    async (c) => {
      const principal = c.get("principal");
      const accepted = await acceptInvitation(deps, c.req.valid("json"), {
        clientKey: clientAddress(c, deps.config.trustedProxies),
        sessionUserId: principal?.via === "session" ? principal.userId : undefined,
        issueSession: true,
      });
      return c.json({ token: accepted.session!.token, expiresAt: accepted.session!.expiresAt, user: accepted.user, companyId: accepted.companyId }, 200);
    },
  );

  return app;
}
