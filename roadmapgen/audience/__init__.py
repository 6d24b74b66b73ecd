"""Audience stage: the validated corpus -> what one site may show."""
