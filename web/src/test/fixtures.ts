import type { Effectiveness } from '../api/effectiveness/types';
import type { Email } from '../api/emails/types';
import type { Metrics } from '../api/metrics/types';
import type { User } from '../api/users/types';

export function aUser(over: Partial<User> = {}): User {
  return {
    userId: 'u-1',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    lastOrderDate: '2026-01-10T12:00:00Z',
    orderCount: 4,
    averageOrderValue: 80,
    preferredCategories: ['Knitwear'],
    engagementScore: 90,
    lastEmailDate: null,
    createdAt: '2025-06-01T00:00:00Z',
    updatedAt: '2026-01-10T12:00:00Z',
    ...over,
  };
}

export function anEmail(over: Partial<Email> = {}): Email {
  return {
    emailId: 'e-1',
    userId: 'u-1',
    subject: 'We miss you, Ada',
    content: '<p>Hi Ada, it has been a while.</p>\n',
    text: 'Hi Ada, it has been a while.',
    html: '<p>Hi <b>Ada</b>, it has been a while.</p>',
    generatedAt: '2026-02-01T09:00:00Z',
    engagementScoreAtTime: 60,
    status: 'SENT',
    writer: 'template',
    sentAt: '2026-02-01T09:00:05Z',
    error: '',
    createdAt: '2026-02-01T09:00:00Z',
    ...over,
  };
}

export function someMetrics(over: Partial<Metrics> = {}): Metrics {
  return {
    threshold: 75,
    users: { total: 500, atRisk: 80, atRiskShare: 0.16, averageScore: 88.4 },
    emails: { total: 130, last7Days: 21, last30Days: 102, byStatus: { SENT: 100, FAILED: 5 } },
    scoreHistogram: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: i * 3 })),
    emailsPerDay: [
      { date: '2026-01-30', count: 3 },
      { date: '2026-01-31', count: 5 },
    ],
    queues: [{ name: 'email-processor', depth: 3, inFlight: 2, oldestAgeSeconds: 14, dlqDepth: 1 }],
    ...over,
  };
}

export function someEffectiveness(over: Partial<Effectiveness> = {}): Effectiveness {
  return {
    windowDays: 30,
    attributionDays: 7,
    holdoutShare: 0.1,
    funnel: {
      sent: 1200,
      delivered: 1180,
      failed: 20,
      opened: 702,
      clicked: 118,
      converted: 59,
      revenue: 4720.5,
      unsubscribes: 6,
      bounces: 14,
      complaints: 1,
    },
    opensUnreliable: true,
    lift: {
      emailed: { clients: 1080, converted: 59, conversionRate: 0.0546, revenue: 4720.5, revenuePerClient: 4.37 },
      heldOut: { clients: 120, converted: 3, conversionRate: 0.025, revenue: 210, revenuePerClient: 1.75 },
      absoluteLift: 0.0296,
      relativeLift: 1.184,
      ci95: [0.0005, 0.0587],
      significant: true,
    },
    daily: [
      { date: '2026-01-30', sent: 40, opened: 22, clicked: 4, converted: 2, revenue: 160 },
      { date: '2026-01-31', sent: 38, opened: 25, clicked: 3, converted: 1, revenue: 80 },
    ],
    ...over,
  };
}
