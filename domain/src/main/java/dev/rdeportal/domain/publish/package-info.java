/**
 * Publishing a workspace's app to production, with an admin's review: requests, approvals,
 * rejections and what the agent made of the approved ones.
 *
 * <pre>
 *  request ─► PENDING ─approve─► APPROVED ─agent ok─► PUBLISHED (url)
 *     │          │                   └──agent fails / no answer─► FAILED (reason)
 *     │          └─reject─► REJECTED
 *     └─(trusted requester) ─► APPROVED at once (autoApproved)
 * </pre>
 * An approval whose requester may no longer use the workspace's blueprint is refused and recorded
 * ({@link dev.rdeportal.domain.publish.PublishApprovalRefusedEvent}); the request stays PENDING.
 */
package dev.rdeportal.domain.publish;
