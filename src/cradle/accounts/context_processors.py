def permissions(request):
    """`can`: the permission names the signed-in user holds (for showing links, never for
    deciding access: views decide that with their declared access)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": frozenset()}
    return {"can": frozenset(str(p) for p in user.permissions())}
