"""Operations: each one runs in one transaction through the unit of work and its bus."""
