def test_front_page_shows_the_seed_headline(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    assert seed.headline in response.content.decode()
