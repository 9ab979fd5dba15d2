"""Action plans: what failed, its root cause, corrective actions with owners and due dates, and the follow-up
re-shops or re-reviews that prove the plan worked before it closes."""
