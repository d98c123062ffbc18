def inbox(request):
    pass
