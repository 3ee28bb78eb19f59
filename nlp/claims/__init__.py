"""Claim matching: known false or misleading claims, and which of them a mention restates."""
